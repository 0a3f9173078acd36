using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Notifications;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests;

/// <summary>Contract section 5: the three emails, their content, and delivery that loses nothing.</summary>
public abstract class NotificationTests(IMailApp mail)
{
    private readonly ContactDeskApp app = mail.App;
    private readonly TestSmtpServer smtp = mail.Smtp;

    [Fact]
    public async Task A_submission_emails_the_submitter_and_every_admin_but_no_moderator()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Unique("sam");
        var ticket = await app.SubmitAsync(email: submitter, category: "bug");
        var number = (string)ticket["ticket_number"]!;
        var admins = await app.QueryAsync(db => db.Users
            .Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.Seed[2].Id)).Select(u => u.Email!).ToListAsync());

        var mails = await smtp.WaitUntilAsync(r => For(r, number).Count == 1 + admins.Count);

        var recipients = For(mails, number).Select(m => m.To).ToList();
        Assert.Contains(submitter, recipients);
        Assert.Contains(admin.Email, recipients);
        Assert.DoesNotContain(moderator.Email, recipients);
        Assert.Equal(admins.Order(), recipients.Where(r => r != submitter).Order());
    }

    [Fact]
    public async Task The_confirmation_names_the_ticket_and_the_expected_response_time_in_both_parts()
    {
        var ticket = await app.SubmitAsync(email: Unique("confirm"), subject: "Broken link");
        var number = (string)ticket["ticket_number"]!;

        var confirmation = (await smtp.WaitUntilAsync(r => For(r, number).Any(m => m.To == (string)ticket["email"]!)))
            .Single(m => m.To == (string)ticket["email"]! && m.Subject.Contains(number)).Message;

        Assert.Contains(number, confirmation.Subject);
        Assert.Contains(number, confirmation.TextBody);
        Assert.Contains(number, confirmation.HtmlBody);
        Assert.Contains("within 3 working days", confirmation.TextBody);
        Assert.Contains("within 3 working days", confirmation.HtmlBody);
        Assert.Equal("desk@contactdesk.test", confirmation.From.Mailboxes.Single().Address);
        Assert.False(string.IsNullOrEmpty(confirmation.MessageId));
    }

    [Fact]
    public async Task The_admin_notification_has_number_and_category_in_the_subject_and_links_to_the_ticket()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var ticket = await app.SubmitAsync(email: Unique("notify"), category: "feature");
        var number = (string)ticket["ticket_number"]!;

        var notification = (await smtp.WaitUntilAsync(r => For(r, number).Any(m => m.To == admin.Email)))
            .Single(m => m.To == admin.Email && m.Subject.Contains(number)).Message;

        Assert.Contains("feature", notification.Subject);
        var link = $"https://desk.example.org/admin/contact/{ticket["id"]}";
        Assert.Contains(link, notification.TextBody);
        Assert.Contains($"href=\"{link}\"", notification.HtmlBody);
    }

    [Fact]
    public async Task Resolving_emails_the_submitter_the_notes_and_a_restore_does_not_email_again()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Unique("resolved");
        var ticket = await app.SubmitAsync(email: submitter);
        var number = (string)ticket["ticket_number"]!;
        await smtp.WaitUntilAsync(r => For(r, number).Any(m => m.To == submitter));

        var resolve = await moderator.Client.PostAsJsonAsync($"/api/v1/contact/{ticket["id"]}/mark-resolved",
            new { resolution_notes = "Replaced the <faulty> part & tested it." });
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);

        var resolution = (await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Count == 2))
            .Single(m => m.To == submitter && m.Subject.Contains("resolved")).Message;
        Assert.Contains(number, resolution.Subject);
        Assert.Contains("Replaced the <faulty> part & tested it.", resolution.TextBody);
        Assert.Contains("Replaced the &lt;faulty&gt; part &amp; tested it.", resolution.HtmlBody);

        await moderator.Client.PostAsync($"/api/v1/contact/{ticket["id"]}/archive", null);
        await moderator.Client.PostAsync($"/api/v1/contact/{ticket["id"]}/restore", null);
        var other = await app.SubmitAsync(email: submitter); // a later email proves the dispatcher moved on
        await smtp.WaitUntilAsync(r => For(r, (string)other["ticket_number"]!).Any(m => m.To == submitter));
        Assert.Equal(2, ToSubmitter(smtp.Received, number, submitter).Count);
    }

    [Fact]
    public async Task Resolving_through_patch_also_emails_the_submitter()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Unique("patched");
        var ticket = await app.SubmitAsync(email: submitter);
        var number = (string)ticket["ticket_number"]!;

        var patch = await moderator.Client.PatchAsJsonAsync($"/api/v1/contact/{ticket["id"]}", new { status = "resolved" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Any(m => m.Subject.Contains("resolved")));
    }

    [Fact]
    public async Task User_text_is_escaped_in_the_html_part()
    {
        var submitter = Unique("xss");
        var ticket = await app.SubmitAsync(email: submitter, name: "<script>alert(1)</script>",
            subject: "<img src=x onerror=alert(1)>", message: "<b>bold</b> & <a href='javascript:alert(1)'>x</a>");
        var number = (string)ticket["ticket_number"]!;

        var confirmation = (await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Count == 1)).Single(m => m.To == submitter && m.Subject.Contains(number)).Message;

        Assert.DoesNotContain("<script>", confirmation.HtmlBody);
        Assert.DoesNotContain("<img", confirmation.HtmlBody);
        Assert.DoesNotContain("<b>bold", confirmation.HtmlBody);
        Assert.Contains("&lt;script&gt;", confirmation.HtmlBody);
        Assert.Contains("<script>alert(1)</script>", confirmation.TextBody); // plain text shows it as typed
    }

    [Fact]
    public async Task Line_breaks_in_a_name_or_subject_never_make_a_header_or_a_recipient()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var submitter = Unique("crlf");
        var ticket = await app.SubmitAsync(email: submitter,
            name: "Eve\r\nBcc: victim@evil.test", subject: "Hello\r\nBcc: victim@evil.test\r\nX-Injected: yes");
        var number = (string)ticket["ticket_number"]!;

        var mails = For(await smtp.WaitUntilAsync(r => For(r, number).Any(m => m.To == submitter) && For(r, number).Any(m => m.To == admin.Email)), number);

        Assert.All(mails, m =>
        {
            Assert.DoesNotContain("victim@evil.test", m.Recipients);
            Assert.Empty(m.Message.Bcc);
            Assert.Null(m.Message.Headers["X-Injected"]);
            Assert.DoesNotContain('\n', m.Subject);
        });
    }

    [Fact]
    public async Task An_smtp_outage_delays_emails_and_loses_none()
    {
        await smtp.StopAsync();
        var submitters = Enumerable.Range(0, 3).Select(_ => Unique("outage")).ToList();
        var numbers = new List<string>();
        try
        {
            foreach (var submitter in submitters)
            {
                numbers.Add((string)(await app.SubmitAsync(email: submitter))["ticket_number"]!);
            }
            await Task.Delay(500); // the dispatcher meets the outage and backs off
        }
        finally
        {
            smtp.Start();
        }

        var mails = await smtp.WaitUntilAsync(r => submitters.All(s => r.Any(m => m.To == s)));
        foreach (var submitter in submitters)
        {
            Assert.Single(mails, m => m.To == submitter); // exactly once
        }
        await AllSentAsync(numbers);
    }

    [Fact]
    public async Task A_temporary_refusal_is_retried_under_the_same_message_id()
    {
        var submitter = Unique("retry");
        smtp.RefuseForNow(submitter, times: 1);
        var ticket = await app.SubmitAsync(email: submitter);
        var number = (string)ticket["ticket_number"]!;

        await smtp.WaitUntilAsync(r => For(r, number).Any(m => m.To == submitter));
        await AllSentAsync([number]);

        var email = await app.QueryAsync(db => db.OutboxEmails.SingleAsync(e => e.TicketNumber == number && e.ToAddress == submitter));
        Assert.Equal(2, email.Attempts);
        Assert.Single(smtp.Received, m => m.Message.MessageId == email.MessageId);
    }

    [Fact]
    public async Task A_permanently_refused_recipient_is_dead_lettered_noted_on_the_ticket_and_can_be_requeued()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Unique("bounce");
        smtp.RejectedRecipients[submitter] = true;
        var ticket = await app.SubmitAsync(email: submitter);
        var number = (string)ticket["ticket_number"]!;

        await smtp.WaitUntilAsync(r => For(r, number).Any(m => m.To == admin.Email)); // the others still flow
        var failed = await Eventually(() => app.QueryAsync(db =>
            db.OutboxEmails.SingleOrDefaultAsync(e => e.TicketNumber == number && e.ToAddress == submitter && e.State == EmailState.Failed)));
        Assert.Equal(1, failed.Attempts); // 5xx is not retried
        Assert.Contains("550", failed.LastError);

        var history = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{ticket["id"]}/history");
        Assert.Contains(history!, e => (string)e!["action"]! == "email_failed");

        var listed = await admin.Client.GetFromJsonAsync<JsonObject>("/api/v1/admin/emails?state=failed");
        Assert.Contains(listed!["items"]!.AsArray(), e => (string)e!["id"]! == failed.Id.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.Client.GetAsync("/api/v1/admin/emails")).StatusCode);

        smtp.RejectedRecipients.TryRemove(submitter, out _);
        var requeue = await admin.Client.PostAsync($"/api/v1/admin/emails/{failed.Id}/requeue", null);
        Assert.Equal(HttpStatusCode.NoContent, requeue.StatusCode);
        await smtp.WaitUntilAsync(r => r.Any(m => m.To == submitter));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsync($"/api/v1/admin/emails/{failed.Id}/requeue", null)).StatusCode);
    }

    private static string Unique(string who) => $"{who}-{Guid.NewGuid():N}@example.com";

    private static List<ReceivedEmail> For(IEnumerable<ReceivedEmail> mails, string ticketNumber) =>
        mails.Where(m => m.Subject.Contains(ticketNumber)).ToList();

    private static List<ReceivedEmail> ToSubmitter(IEnumerable<ReceivedEmail> mails, string ticketNumber, string submitter) =>
        For(mails, ticketNumber).Where(m => m.To == submitter).ToList();

    /// <summary>Waits until every email of these tickets is recorded as sent.</summary>
    private Task AllSentAsync(IReadOnlyCollection<string> numbers) => Eventually(async () =>
        await app.QueryAsync(db => db.OutboxEmails.AnyAsync(e => numbers.Contains(e.TicketNumber) && e.State != EmailState.Sent))
            ? null
            : "all sent");

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Not reached within {seconds} s.");
            await Task.Delay(50);
        }
    }
}

public sealed class NotificationTestsOnSqlite(SqliteMailApp app) : NotificationTests(app), IClassFixture<SqliteMailApp>;

public sealed class NotificationTestsOnPostgres(PostgresMailApp app) : NotificationTests(app), IClassFixture<PostgresMailApp>;
