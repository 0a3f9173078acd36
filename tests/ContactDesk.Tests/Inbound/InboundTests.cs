using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Conversation;
using ContactDesk.Identity;
using ContactDesk.Inbound;
using ContactDesk.Notifications;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace ContactDesk.Tests.Inbound;

/// <summary>Contract section 8 over the HTTP source: matching, reopening, follow-ups, loops and bounces.</summary>
public abstract class InboundTests(IInboundApp mail)
{
    private readonly ContactDeskApp app = mail.App;
    private readonly TestSmtpServer smtp = mail.Smtp;

    [Fact]
    public async Task A_new_mail_makes_a_ticket_with_its_confirmation_and_the_admin_notification()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var sender = Mail.Unique("new");
        var row = await Mail.IngestAsync(app, Mail.Text(sender, "Printer on fire", "It is really on fire.", fromName: "Pat Printer"));

        Assert.Equal(InboundState.Processed, row.State);
        var ticket = await admin.Client.GetObjectAsync($"/api/v1/contact/{row.TicketId}");
        Assert.Equal("Pat Printer", (string)ticket["name"]!);
        Assert.Equal(sender, (string)ticket["email"]!);
        Assert.Equal("Printer on fire", (string)ticket["subject"]!);
        Assert.Equal("general", (string)ticket["category"]!);
        var first = Assert.Single(await ThreadAsync(admin, row.TicketId!.Value))!;
        Assert.Equal("email", (string)first["source"]!);
        Assert.Equal(sender, (string)first["from_email"]!);
        Assert.Equal("It is really on fire.", (string)first["body"]!);
        var number = (string)ticket["ticket_number"]!;
        await smtp.WaitUntilAsync(r => r.Any(m => m.To == sender && m.Subject.Contains(number)) && r.Any(m => m.To == admin.Email && m.Subject.Contains(number)));

        // The raw message is kept for admins, as it came.
        var raw = await admin.Client.GetAsync($"/api/v1/contact/messages/{first["id"]}/raw");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("message/rfc822", raw.Content.Headers.ContentType!.MediaType);
        Assert.Contains("It is really on fire.", await raw.Content.ReadAsStringAsync());
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.Client.GetAsync($"/api/v1/contact/messages/{first["id"]}/raw")).StatusCode);
    }

    [Fact]
    public async Task A_reply_to_a_reply_email_lands_in_its_thread_by_its_headers_whatever_the_subject()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Mail.Unique("thread");
        var ticket = await app.SubmitAsync(subject: "Where is order 42?", email: submitter);
        await moderator.Client.PostAsJsonAsync($"/api/v1/contact/{ticket.IdOf()}/messages", new { kind = "reply", body = "It left today." });
        var reply = (await smtp.WaitUntilAsync(r => r.Any(m => m.To == submitter && m.Subject.StartsWith("Re:"))))
            .Single(m => m.To == submitter && m.Subject.StartsWith("Re:")).Message;

        var answer = Mail.Text(submitter, "something else entirely", "Thanks, it arrived!\n\nOn Mon, 30 Nov 2026 at 10:00, Desk <desk@contactdesk.test> wrote:\n> It left today.\n", inReplyTo: reply.MessageId);
        var row = await Mail.IngestAsync(app, answer);

        Assert.Equal(ticket.IdOf(), row.TicketId);
        var thread = await ThreadAsync(moderator, ticket.IdOf());
        Assert.Equal(3, thread.Count);
        Assert.Equal("Thanks, it arrived!", (string)thread[2]!["body"]!);
        Assert.Equal("email", (string)thread[2]!["source"]!);
        Assert.Equal("customer", (string)thread[2]!["kind"]!);
        Assert.Equal(submitter, (string)thread[2]!["from_email"]!);

        // An answer to that answer (it names only the customer's own Message-ID) lands too.
        var again = await Mail.IngestAsync(app, Mail.Text(Mail.Unique("colleague"), "fwd", "Me too.", inReplyTo: answer.MessageId));
        Assert.Equal(ticket.IdOf(), again.TicketId);
    }

    [Fact]
    public async Task The_subject_s_ticket_number_counts_only_from_the_ticket_s_own_address()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Mail.Unique("token");
        var ticket = await app.SubmitAsync(email: submitter);
        var number = (string)ticket["ticket_number"]!;

        var own = await Mail.IngestAsync(app, Mail.Text(submitter.ToUpperInvariant(), $"Re: my question [{number}]", "One more detail."));
        Assert.Equal(ticket.IdOf(), own.TicketId);
        Assert.Equal("One more detail.", (string)(await ThreadAsync(moderator, ticket.IdOf()))[1]!["body"]!);

        var stranger = await Mail.IngestAsync(app, Mail.Text(Mail.Unique("stranger"), $"Re: [{number}]", "Let me in."));
        Assert.NotEqual(ticket.IdOf(), stranger.TicketId);
        Assert.Equal(2, (await ThreadAsync(moderator, ticket.IdOf())).Count);

        // Claiming to be the submitter, with neither the thread's headers nor the number: a ticket of its own.
        var forged = await Mail.IngestAsync(app, Mail.Text(submitter, "About my ticket", "Show me the thread."));
        Assert.NotEqual(ticket.IdOf(), forged.TicketId);
        Assert.Equal(2, (await ThreadAsync(moderator, ticket.IdOf())).Count);
    }

    [Fact]
    public async Task A_reply_to_a_resolved_ticket_reopens_it_and_to_an_archived_one_starts_a_follow_up()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Mail.Unique("reopen");
        var resolved = await app.SubmitAsync(email: submitter);
        await moderator.Client.ActOkAsync(resolved.IdOf(), "mark-resolved");
        await Mail.IngestAsync(app, Mail.Text(submitter, $"Re: [{resolved["ticket_number"]}]", "It broke again."));
        var reopened = await moderator.Client.GetObjectAsync($"/api/v1/contact/{resolved.IdOf()}");
        Assert.Equal("pending", (string)reopened["status"]!);
        var history = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{resolved.IdOf()}/history");
        Assert.Contains(history!, h => (string)h!["action"]! == "reopened");

        var archived = await app.SubmitAsync(email: submitter);
        await moderator.Client.ActOkAsync(archived.IdOf(), "archive");
        var row = await Mail.IngestAsync(app, Mail.Text(submitter, $"Re: [{archived["ticket_number"]}]", "Still there?"));
        Assert.NotEqual(archived.IdOf(), row.TicketId);
        var followUp = Assert.Single(await ThreadAsync(moderator, row.TicketId!.Value))!;
        Assert.Equal($"(follow-up to {archived["ticket_number"]})\n\nStill there?", (string)followUp["body"]!);
        Assert.Single(await ThreadAsync(moderator, archived.IdOf()));

        // A deleted ticket's number, from its history: a follow-up too.
        var admin = await app.CreateUserAsync(Roles.Admin);
        var deleted = await app.SubmitAsync(email: submitter);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/contact/{deleted.IdOf()}")).StatusCode);
        var afterDelete = await Mail.IngestAsync(app, Mail.Text(submitter, $"Re: [{deleted["ticket_number"]}]", "Hello?"));
        Assert.StartsWith($"(follow-up to {deleted["ticket_number"]})", (string)Assert.Single(await ThreadAsync(moderator, afterDelete.TicketId!.Value))!["body"]!);
    }

    [Fact]
    public async Task The_endpoint_wants_its_secret_a_message_and_takes_each_message_once()
    {
        var message = Mail.Text(Mail.Unique("once"), "Once", "Only once, please.");
        await (await Mail.PostAsync(app, message, token: null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await Mail.PostAsync(app, message, token: IInboundApp.Token + "x")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await Mail.PostAsync(app, "not an email at all"u8.ToArray())).AssertProblemAsync(HttpStatusCode.BadRequest);
        var tooLarge = Mail.Text(Mail.Unique("large"), "Large", new string('x', IInboundApp.MaxMessageBytes + 1));
        await (await Mail.PostAsync(app, tooLarge)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await CountAsync(tooLarge));
        Assert.Equal(0, await CountAsync(message));

        // 16 posts of the same message at once (an MTA retrying): one 202, the rest 200, one ticket.
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Mail.PostAsync(app, message)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var id = Guid.Parse((string)(await responses[0].Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        var row = await Mail.ProcessedAsync(app, id);
        Assert.Equal(1, await CountAsync(message));
        Assert.Equal(1, await app.QueryAsync(db => db.Messages.CountAsync(m => m.TicketId == row.TicketId)));
    }

    [Fact]
    public async Task An_auto_reply_storm_gets_at_most_the_limit_of_confirmations_and_marked_mail_none()
    {
        var robot = Mail.Unique("ooo");
        // Out-of-office replies that do not say they are automatic: the hourly limit stops them.
        var posts = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Mail.PostAsync(app, Mail.Text(robot, $"Out of office {i}", "I am away until Monday."))));
        Assert.All(posts, p => Assert.Equal(HttpStatusCode.Accepted, p.StatusCode));
        // And ones that do (RFC 3834 and its common cousins): never a confirmation.
        var marked = Mail.Unique("marked");
        foreach (var (header, value) in new[] { ("Auto-Submitted", "auto-replied"), ("Precedence", "bulk"), ("List-Id", "<list.example.net>"), ("X-Auto-Response-Suppress", "All") })
        {
            var message = Mail.Text(marked, $"Automatic ({header})", "Beep.");
            message.Headers.Add(header, value);
            Assert.Equal(HttpStatusCode.Accepted, (await Mail.PostAsync(app, message)).StatusCode);
        }
        await Mail.Eventually(() => app.QueryAsync(db => db.InboundEmails.AllAsync(e => e.State != InboundState.Received)), 240);

        Assert.Equal(100, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == robot)));
        Assert.Equal(4, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == marked)));
        Assert.Equal(5, await app.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.ToAddress == robot && e.Kind == EmailKind.Confirmation)));
        Assert.Equal(0, await app.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.ToAddress == marked)));
    }

    [Fact]
    public async Task A_bounce_marks_the_email_it_is_about_failed_and_makes_no_ticket()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Mail.Unique("bounce");
        var ticket = await app.SubmitAsync(email: submitter);
        var confirmation = (await smtp.WaitUntilAsync(r => r.Any(m => m.To == submitter))).Single(m => m.To == submitter).Message;
        var tickets = await app.QueryAsync(db => db.Tickets.CountAsync());

        var row = await Mail.IngestAsync(app, Dsn(confirmation, submitter));

        Assert.Equal(InboundState.Ignored, row.State);
        var email = await app.QueryAsync(db => db.OutboxEmails.AsNoTracking().SingleAsync(e => e.MessageId == confirmation.MessageId));
        Assert.Equal(EmailState.Failed, email.State);
        Assert.Contains("5.1.1", email.LastError);
        var history = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{ticket.IdOf()}/history");
        Assert.Contains(history!, h => (string)h!["action"]! == "email_failed");
        Assert.Equal(tickets, await app.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.Single(await ThreadAsync(moderator, ticket.IdOf()));
    }

    /// <summary>A delivery status notification as Postfix writes one, returning the original's headers.</summary>
    public static MimeMessage Dsn(MimeMessage original, string recipient)
    {
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "This is the mail system at host mx.example.com.\n\nI'm sorry to have to inform you that your message could not be delivered." },
        };
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; mx.example.com" } };
        var perRecipient = new HeaderList
        {
            { "Final-Recipient", $"rfc822; {recipient}" }, { "Action", "failed" }, { "Status", "5.1.1" },
            { "Diagnostic-Code", "smtp; 550 5.1.1 user unknown" },
        };
        status.StatusGroups.Add(perMessage);
        status.StatusGroups.Add(perRecipient);
        report.Add(status);
        var headers = new TextRfc822Headers { Message = new MimeMessage(original.Headers.Where(h => h.Id != HeaderId.ContentType)) };
        report.Add(headers);
        var dsn = new MimeMessage { Subject = "Undelivered Mail Returned to Sender", Body = report };
        dsn.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.example.com"));
        dsn.To.Add(MailboxAddress.Parse("desk@contactdesk.test"));
        dsn.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        return dsn;
    }

    private Task<int> CountAsync(MimeMessage message) =>
        app.QueryAsync(db => db.InboundEmails.CountAsync(e => e.Key == "mid:" + message.MessageId));

    private static async Task<JsonArray> ThreadAsync(TestUser user, Guid ticketId) =>
        (await user.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{ticketId}/messages"))!;
}

public sealed class InboundTestsOnSqlite(SqliteInboundApp app) : InboundTests(app), IClassFixture<SqliteInboundApp>;

public sealed class InboundTestsOnPostgres(PostgresInboundApp app) : InboundTests(app), IClassFixture<PostgresInboundApp>;
