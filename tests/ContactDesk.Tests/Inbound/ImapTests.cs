using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Inbound;
using ContactDesk.Tests.Infrastructure;
using MailKit;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests.Inbound;

/// <summary>The IMAP source against a real Dovecot: by UID, flagged \Seen after it is stored, unreadable mail kept and counted.</summary>
public abstract class ImapTests(IImapApp mail)
{
    private readonly ContactDeskApp app = mail.App;

    [Fact]
    public async Task Mail_appended_to_the_mailbox_is_ingested_once_flagged_seen_and_unreadable_mail_is_counted()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        _ = app.Server; // start the host (and with it the IMAP reader)
        var senders = Enumerable.Range(0, 3).Select(i => Mail.Unique($"imap{i}")).ToList();
        var messages = senders.Select(s => Mail.Text(s, "By IMAP", "Sent to the support mailbox.")).ToList();
        // One already read in another mail program: still fetched (by UID, not by \Seen).
        await IImapApp.AppendAsync(mail.Dovecot, messages.Take(2));
        await IImapApp.AppendAsync(mail.Dovecot, messages.Skip(1), MessageFlags.Seen); // the second one twice
        var noSender = Mail.Text("x@example.com", "No sender", "Nobody wrote this.");
        noSender.From.Clear();
        await IImapApp.AppendAsync(mail.Dovecot, [noSender]);

        await Mail.Eventually(async () => await app.QueryAsync(db => db.Tickets.CountAsync(t => senders.Contains(t.Email))) == 3);
        await Mail.Eventually(async () =>
        {
            using var client = await IImapApp.ConnectAsync(mail.Dovecot);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            return (await client.Inbox.SearchAsync(SearchQuery.NotSeen)).Count == 0;
        });
        Assert.All(senders, s => Assert.Equal(1, app.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == s)).Result));
        Assert.Equal(1, await app.QueryAsync(db => db.InboundEmails.CountAsync(e => e.State == InboundState.Failed && e.Source == InboundSource.Imap)));
        var summary = await admin.Client.GetFromJsonAsync<JsonObject>("/api/v1/admin/emails/summary");
        Assert.Equal(1, (int)summary!["inbound_failed"]!);
    }
}

public sealed class ImapTestsOnSqlite(SqliteImapApp app) : ImapTests(app), IClassFixture<SqliteImapApp>;

public sealed class ImapTestsOnPostgres(PostgresImapApp app) : ImapTests(app), IClassFixture<PostgresImapApp>;
