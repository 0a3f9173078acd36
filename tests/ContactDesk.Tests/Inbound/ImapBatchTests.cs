using ContactDesk.Inbound;
using ContactDesk.Notifications;
using ContactDesk.Tests.Infrastructure;
using MailKit;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests.Inbound;

/// <summary>
/// A backlog waiting in the mailbox when the app starts is read, stored and processed in batches
/// (one FETCH, one commit, one transaction for many mails): mails of one thread in the same batch
/// still thread, in the mailbox's order, and a mail that cannot be ingested fails alone.
/// </summary>
public abstract class ImapBatchTests(IImapApp mail)
{
    private readonly ContactDeskApp app = mail.App;

    [Fact]
    public async Task A_new_mail_and_its_replies_read_in_one_batch_make_one_thread_in_order()
    {
        var submitter = Mail.Unique("batch");
        var colleague = Mail.Unique("colleague");
        var first = Mail.Text(submitter, "Batch thread", "The first mail.");
        var reply = Mail.Text(submitter, "something else", "A reply by its headers.", inReplyTo: first.MessageId);
        var second = Mail.Text(colleague, "fwd", "A second reply to the same mail.", inReplyTo: first.MessageId);
        var answer = Mail.Text(submitter, "again", "A reply to the reply.", inReplyTo: reply.MessageId);
        var noSender = Mail.Text("x@example.com", "No sender", "Nobody wrote this.");
        noSender.From.Clear();
        var others = Enumerable.Range(0, 5).Select(i => Mail.Text(Mail.Unique($"other{i}"), $"Other {i}", "Unrelated.")).ToList();
        // All in the mailbox before the app starts: the reader takes them in one chunk, the processor in one batch.
        await IImapApp.AppendAsync(mail.Dovecot, [first, others[0], reply, others[1], noSender, second, others[2], answer, others[3], others[4]]);

        _ = app.Server;
        await Mail.Eventually(async () => await app.QueryAsync(db => db.InboundEmails.CountAsync(e => e.State != InboundState.Received)) == 10);

        var ticket = await app.QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Email == submitter));
        Assert.Equal("Batch thread", ticket.Subject);
        var thread = await app.QueryAsync(db => db.Messages.Where(m => m.TicketId == ticket.Id).OrderBy(m => m.CreatedAt).Select(m => m.Body).ToListAsync());
        Assert.Equal(["The first mail.", "A reply by its headers.", "A second reply to the same mail.", "A reply to the reply."], thread);
        Assert.Equal(4, ticket.MessageCount);
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == colleague)));
        Assert.Equal(1, await app.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.ToAddress == submitter && e.Kind == EmailKind.Confirmation)));
        foreach (var other in others)
        {
            var sender = other.From.Mailboxes.Single().Address;
            Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == sender)));
        }

        var rows = await app.QueryAsync(db => db.InboundEmails.AsNoTracking().ToListAsync());
        Assert.Equal(9, rows.Count(r => r.State == InboundState.Processed));
        var failed = Assert.Single(rows, r => r.State == InboundState.Failed);
        Assert.Contains("no sender", failed.Error);
        foreach (var message in new[] { first, reply, second, answer })
        {
            Assert.Equal(ticket.Id, Assert.Single(rows, r => r.Key == "mid:" + message.MessageId).TicketId);
        }
        await Mail.Eventually(async () =>
        {
            using var client = await IImapApp.ConnectAsync(mail.Dovecot);
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            return (await client.Inbox.SearchAsync(SearchQuery.NotSeen)).Count == 0;
        });
    }
}

public sealed class ImapBatchTestsOnSqlite(SqliteImapApp app) : ImapBatchTests(app), IClassFixture<SqliteImapApp>;

public sealed class ImapBatchTestsOnPostgres(PostgresImapApp app) : ImapBatchTests(app), IClassFixture<PostgresImapApp>;
