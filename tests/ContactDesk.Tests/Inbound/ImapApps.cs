using ContactDesk.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace ContactDesk.Tests.Inbound;

/// <summary>An app reading the support mailbox of its own private Dovecot, polling fast.</summary>
public interface IImapApp : IInboundApp
{
    const string Mailbox = "support@desk.test";

    DovecotServer Dovecot { get; }

    static IEnumerable<KeyValuePair<string, string?>> ImapSettings(DovecotServer dovecot) =>
    [
        new("Email:Inbound:Imap:Host", dovecot.Host),
        new("Email:Inbound:Imap:Port", dovecot.Port.ToString()),
        new("Email:Inbound:Imap:UseTls", "false"),
        new("Email:Inbound:Imap:Username", Mailbox),
        new("Email:Inbound:Imap:Password", DovecotServer.Password),
        new("Email:Inbound:Imap:PollSeconds", "1"),
    ];

    /// <summary>Puts messages into the mailbox with IMAP APPEND, as a mail server delivering them would.</summary>
    static async Task AppendAsync(DovecotServer dovecot, IEnumerable<MimeMessage> messages, MessageFlags flags = MessageFlags.None)
    {
        using var client = await ConnectAsync(dovecot);
        foreach (var message in messages)
        {
            await client.Inbox.AppendAsync(message, flags);
        }
        await client.DisconnectAsync(true);
    }

    static async Task<ImapClient> ConnectAsync(DovecotServer dovecot)
    {
        var client = new ImapClient();
        await client.ConnectAsync(dovecot.Host, dovecot.Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(Mailbox, DovecotServer.Password);
        return client;
    }
}

public sealed class SqliteImapApp : SqliteApp, IImapApp
{
    public TestSmtpServer Smtp { get; } = new();
    public DovecotServer Dovecot { get; } = DovecotServer.Start(IImapApp.Mailbox);
    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), .. IInboundApp.InboundSettings(Smtp), .. IImapApp.ImapSettings(Dovecot)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        Dovecot.Dispose();
    }
}

public sealed class PostgresImapApp : PostgresApp, IImapApp
{
    public TestSmtpServer Smtp { get; } = new();
    public DovecotServer Dovecot { get; } = DovecotServer.Start(IImapApp.Mailbox);
    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), .. IInboundApp.InboundSettings(Smtp), .. IImapApp.ImapSettings(Dovecot)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        Dovecot.Dispose();
    }
}
