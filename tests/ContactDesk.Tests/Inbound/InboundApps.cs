using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests.Inbound;

/// <summary>An app that takes email over HTTP (with a known secret) and sends its own to a <see cref="TestSmtpServer"/>.</summary>
public interface IInboundApp : IMailApp
{
    const string Token = "inbound-secret-for-the-tests";

    static IEnumerable<KeyValuePair<string, string?>> InboundSettings(TestSmtpServer smtp) =>
    [
        .. IMailApp.Settings(smtp),
        new("Email:Inbound:Token", Token),
        new("Email:Inbound:Address", "support@contactdesk.test"),
        new("Email:Inbound:MaxMessageBytes", MaxMessageBytes.ToString()),
    ];

    /// <summary>Small, so that a test can go over it cheaply.</summary>
    const int MaxMessageBytes = 1 << 20;
}

public sealed class SqliteInboundApp : SqliteApp, IInboundApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IInboundApp.InboundSettings(Smtp)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class PostgresInboundApp : PostgresApp, IInboundApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IInboundApp.InboundSettings(Smtp)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
