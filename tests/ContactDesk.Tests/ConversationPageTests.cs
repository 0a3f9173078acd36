using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Moderation;
using ContactDesk.Notifications;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MimeKit;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// The ticket page's conversation in a real browser, on both databases, with the submitter's mail
/// read from a real SMTP server: replies with files, internal notes, reply and resolve, the limits.
/// Attachment limits are IUploadApp's: 1000 bytes a file, 2 files, 1500 bytes a message.
/// </summary>
public abstract class ConversationPageTests(ConversationPageApp fixture)
{
    private readonly ContactDeskApp app = fixture;
    private readonly TestSmtpServer smtp = fixture.Smtp;
    private readonly Chromium chromium = fixture.Chromium;

    [Fact]
    public async Task A_reply_with_a_file_is_in_the_thread_and_reaches_the_submitter_with_the_same_bytes()
    {
        var (ticket, submitter) = await SubmitAsync("My parcel never came.");
        var (moderator, page) = await OpenTicketAsync(ticket);
        var customer = page.Locator("#thread article").First;
        await Expect(customer).ToHaveClassAsync("msg customer");
        await Expect(customer.Locator(".kind")).ToHaveTextAsync("Customer message");
        await Expect(customer.Locator(".body")).ToHaveTextAsync("My parcel never came.");
        await Expect(page.Locator("#waiting-on")).ToHaveTextAsync("Needs reply");
        await Expect(page.Locator("#first-response")).ToHaveTextAsync("Not yet");

        var bytes = MultipartBody.Unique(700);
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Here is the tracking report.");
        await page.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "tracking.bin", MimeType = "application/octet-stream", Buffer = bytes });
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        var reply = page.Locator("#thread article").Nth(1);
        await Expect(reply).ToHaveClassAsync("msg reply");
        await Expect(reply.Locator(".kind")).ToHaveTextAsync("Reply");
        await Expect(reply.Locator(".author")).ToHaveTextAsync(moderator.Name);
        await Expect(reply.Locator(".body")).ToHaveTextAsync("Here is the tracking report.");
        await Expect(reply.GetByRole(AriaRole.Link, new() { Name = "tracking.bin" })).ToBeVisibleAsync();
        await Expect(reply.Locator(".files")).ToContainTextAsync("(700 bytes)");
        await Expect(page.Locator("#waiting-on")).ToHaveTextAsync("Waiting on submitter");
        await Expect(page.Locator("#message-count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#first-response")).Not.ToHaveTextAsync("Not yet");
        await Expect(page.Locator("#assignee")).ToHaveTextAsync(moderator.Name); // a reply claims an unassigned ticket

        var email = await ReplyEmailAsync(ticket, submitter);
        Assert.Contains("Here is the tracking report.", email.TextBody);
        var attached = Assert.Single(email.Attachments.OfType<MimePart>());
        Assert.Equal("tracking.bin", attached.FileName);
        Assert.Equal(bytes, Decode(attached));

        // The moderator downloads the same bytes through the page's own (cookie) link, and sees the email went out.
        var download = await page.RunAndWaitForDownloadAsync(() => reply.GetByRole(AriaRole.Link, new() { Name = "tracking.bin" }).ClickAsync());
        Assert.Equal("tracking.bin", download.SuggestedFilename);
        Assert.Equal(bytes, await File.ReadAllBytesAsync((await download.PathAsync())!));
        await page.ReloadAsync();
        await Expect(page.Locator("#thread article").Nth(1).Locator(".delivery")).ToHaveTextAsync("Email sent");
    }

    [Fact]
    public async Task An_internal_note_is_shown_as_a_note_and_never_emailed()
    {
        var (ticket, submitter) = await SubmitAsync("Please call me back.");
        var (_, page) = await OpenTicketAsync(ticket);
        var secret = $"Customer owes us money {UniqueWord()}";

        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Internal note" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Internal note added.");
        var note = page.Locator("#thread article").Nth(1);
        await Expect(note).ToHaveClassAsync("msg note");
        // Told apart in words, for everyone: the label and its accessible name both say so.
        await Expect(note.Locator(".kind")).ToHaveTextAsync("Internal note");
        await Expect(note).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("^Internal note "));
        await Expect(note.Locator(".body")).ToHaveTextAsync(secret);
        await Expect(note.Locator(".delivery")).ToHaveCountAsync(0);
        await Expect(page.Locator("#waiting-on")).ToHaveTextAsync("Needs reply"); // a note answers nobody

        // A reply afterwards is emailed; by the time it arrives the note would have too, had it been sent.
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("We will call you tomorrow.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        await ReplyEmailAsync(ticket, submitter);
        await AllSentAsync(ticket);
        Assert.DoesNotContain(smtp.Received, m => m.Message.TextBody?.Contains(secret) == true || m.Message.HtmlBody?.Contains(secret) == true);
        Assert.Equal(2, ToSubmitter(ticket, submitter).Count); // the confirmation and the reply
    }

    [Fact]
    public async Task Reply_and_resolve_resolves_the_ticket_with_one_email()
    {
        var (ticket, submitter) = await SubmitAsync("How do I reset my password?");
        var (moderator, page) = await OpenTicketAsync(ticket);

        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("Use the link on the sign-in page.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply and resolve" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent; the ticket is resolved.");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Resolved");
        await Expect(page.Locator("#waiting-on")).ToHaveTextAsync("—");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reply and resolve" })).ToHaveCountAsync(0);
        var email = await ReplyEmailAsync(ticket, submitter);
        Assert.Contains("resolved", email.Subject, StringComparison.OrdinalIgnoreCase);
        await AllSentAsync(ticket);
        Assert.Equal(2, ToSubmitter(ticket, submitter).Count); // the confirmation and the reply: no separate resolution email
        var stored = await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}");
        Assert.Equal("resolved", (string?)stored["status"]);
        Assert.Equal(moderator.Id.ToString(), (string?)stored["resolved_by"]!["id"]);
    }

    [Fact]
    public async Task An_empty_reply_or_a_file_over_the_limit_is_a_field_error_and_nothing_is_stored()
    {
        var (ticket, _) = await SubmitAsync("Limits, please.");
        var (_, page) = await OpenTicketAsync(ticket);
        var before = await StoredAsync(ticket);

        await page.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        var body = page.GetByLabel("Message", new() { Exact = true });
        await Expect(body).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(body).ToHaveAccessibleDescriptionAsync("This field is required.");

        await body.FillAsync("Typed text survives the error.");
        await page.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "big.bin", MimeType = "application/octet-stream", Buffer = MultipartBody.Unique(1200) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();

        var files = page.GetByLabel("Attach files");
        await Expect(files).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#files-error")).ToContainTextAsync("too large");
        await Expect(files).ToHaveAttributeAsync("aria-describedby", "reply-files-hint files-error");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was sent");
        await Expect(body).ToHaveValueAsync("Typed text survives the error.");
        await Expect(body).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#thread article")).ToHaveCountAsync(1);
        Assert.Equal(before, await StoredAsync(ticket));
    }

    [Fact]
    public async Task A_file_sent_with_the_contact_form_is_on_the_tickets_first_message()
    {
        var subject = $"With a file {UniqueWord()}";
        var page = await SendContactFormAsync(subject, new FilePayload { Name = "screen.png", MimeType = "image/png", Buffer = MultipartBody.Png });
        await Expect(page.Locator("#ticket-number")).ToBeVisibleAsync();

        var id = await app.QueryAsync(db => db.Tickets.Where(t => t.Subject == subject).Select(t => t.Id).SingleAsync());
        var moderator = await app.CreateUserAsync("moderator");
        var admin = await chromium.SignInAsync(moderator);
        await admin.GotoAsync($"/admin/contact/{id}");
        var first = admin.Locator("#thread article").First;
        await Expect(first.Locator(".source")).ToHaveTextAsync("via contact form");
        var download = await admin.RunAndWaitForDownloadAsync(() => first.GetByRole(AriaRole.Link, new() { Name = "screen.png" }).ClickAsync());
        Assert.Equal(MultipartBody.Png, await File.ReadAllBytesAsync((await download.PathAsync())!));
    }

    [Fact]
    public async Task A_file_over_the_limit_on_the_contact_form_is_a_field_error_and_no_ticket_is_made()
    {
        var subject = $"Too big {UniqueWord()}";
        var page = await SendContactFormAsync(subject, new FilePayload { Name = "huge.bin", MimeType = "application/octet-stream", Buffer = MultipartBody.Unique(1200) });

        var files = page.GetByLabel("Attachments");
        await Expect(files).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#files-error")).ToContainTextAsync("choose the files again");
        await Expect(page.GetByLabel("Subject")).ToHaveValueAsync(subject);
        await Expect(page.Locator("[aria-invalid=true]")).ToHaveCountAsync(1);
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Fact]
    public async Task The_needs_a_reply_filter_combines_with_search_and_survives_sorting_paging_and_export()
    {
        var word = UniqueWord();
        var waiting = new[] { (await SubmitAsync("First", word)).Ticket, (await SubmitAsync("Second", word)).Ticket };
        var (answered, _) = await SubmitAsync("Third", word);
        var moderator = await app.CreateUserAsync("moderator", $"Mo {Guid.NewGuid():N}"[..11]);
        (await moderator.Client.PostAsJsonAsync($"{Contact}/{answered.IdOf()}/messages", new { kind = "reply", body = "Done." })).EnsureSuccessStatusCode();
        var page = await chromium.SignInAsync(moderator);

        await page.GotoAsync($"/admin?search={word}");
        await Expect(Row(page, answered).Locator("td.waiting")).ToHaveTextAsync("Waiting on submitter");
        await Expect(Row(page, waiting[0]).Locator("td.waiting")).ToHaveTextAsync("Needs reply");
        await page.GetByLabel("Waiting on").SelectOptionAsync(new SelectOptionValue { Label = "Needs a reply" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("waiting_on=staff"));
        await Expect(page.Locator("#total")).ToHaveTextAsync("2 tickets");
        await Expect(page.Locator("tbody td.waiting")).ToHaveTextAsync(["Needs reply", "Needs reply"]);
        await Expect(page.GetByLabel("Waiting on")).ToHaveValueAsync("staff");

        await page.GetByRole(AriaRole.Columnheader, new() { Name = "Created", Exact = true }).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("ordering=created_at"));
        await Expect(page.Locator("#total")).ToHaveTextAsync("2 tickets");

        await page.GotoAsync($"/admin?search={word}&waiting_on=staff&page_size=1");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("waiting_on=staff"));
        await Expect(page.Locator("tbody tr[data-ticket]")).ToHaveCountAsync(1);
        await Expect(page.Locator("tbody td.waiting")).ToHaveTextAsync("Needs reply");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var rows = ParseCsv(await File.ReadAllTextAsync((await download.PathAsync())!));
        var number = Array.IndexOf(ExportEndpoint.Columns, "ticket_number");
        Assert.Equal(waiting.Select(t => (string)t["ticket_number"]!).Order(), rows.Skip(1).Select(r => r[number]).Order());
    }

    [Fact]
    public async Task Markup_in_message_bodies_and_filenames_is_shown_as_text()
    {
        const string script = "<script>alert(1)</script>", image = "<img src=x onerror=alert(1)>";
        var (ticket, _) = await SubmitAsync($"{script}\n{image}");
        var (_, page) = await OpenTicketAsync(ticket);
        const string fileName = "<img src=x onerror=alert(2)>.txt";

        await page.GetByLabel("Message", new() { Exact = true }).FillAsync($"{image} & {script}");
        await page.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/html", Buffer = "<b>hi</b>"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Internal note" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Internal note added.");
        await Expect(page.Locator("#thread article").First.Locator(".body")).ToHaveTextAsync($"{script}\n{image}");
        var note = page.Locator("#thread article").Nth(1);
        await Expect(note.Locator(".body")).ToHaveTextAsync($"{image} & {script}");
        await Expect(note.Locator(".files a")).ToHaveTextAsync(fileName);
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
        Assert.Empty(chromium.Dialogs);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /// <summary>A ticket from a submitter of its own (so its mail is told apart), through the API.</summary>
    private async Task<(JsonObject Ticket, string Submitter)> SubmitAsync(string message, string? word = null)
    {
        var submitter = $"sub-{Guid.NewGuid():N}@example.com";
        return (await app.SubmitAsync($"Order question {word ?? UniqueWord()}", message, email: submitter), submitter);
    }

    private async Task<(TestUser Moderator, IPage Page)> OpenTicketAsync(JsonObject ticket)
    {
        var moderator = await app.CreateUserAsync("moderator", $"Mo {Guid.NewGuid():N}"[..11]);
        var page = await chromium.SignInAsync(moderator);
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        return (moderator, page);
    }

    /// <summary>A visitor sends /contact with <paramref name="file"/> attached; the page it lands on.</summary>
    private async Task<IPage> SendContactFormAsync(string subject, FilePayload file)
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync("/contact");
        await ContactFormPage.FillAsync(page, "Fiona Files", "fiona@example.com", subject, "The screenshot shows the error.");
        await page.GetByLabel("Attachments").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        return page;
    }

    private static ILocator Row(IPage page, JsonObject ticket) => page.Locator($"tr[data-ticket='{ticket["ticket_number"]}']");

    private List<ReceivedEmail> ToSubmitter(JsonObject ticket, string submitter) =>
        [.. smtp.Received.Where(m => m.To == submitter && m.Subject.Contains((string)ticket["ticket_number"]!))];

    private async Task<MimeMessage> ReplyEmailAsync(JsonObject ticket, string submitter)
    {
        await smtp.WaitUntilAsync(_ => ToSubmitter(ticket, submitter).Any(m => m.Subject.StartsWith("Re:")));
        return ToSubmitter(ticket, submitter).Single(m => m.Subject.StartsWith("Re:")).Message;
    }

    /// <summary>Waits until the outbox has nothing left to send for the ticket, so no email is still on its way.</summary>
    private async Task AllSentAsync(JsonObject ticket)
    {
        var id = ticket.IdOf();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await app.QueryAsync(db => db.OutboxEmails.AnyAsync(e => e.TicketId == id && e.State != EmailState.Sent)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The ticket's emails were not all sent within 30 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>What a refused post must leave as it was: the thread, its files, the ticket's emails.</summary>
    private Task<string> StoredAsync(JsonObject ticket)
    {
        var id = ticket.IdOf();
        return app.QueryAsync(async db => string.Join(", ",
            await db.Messages.CountAsync(m => m.TicketId == id),
            await db.Messages.Where(m => m.TicketId == id).SelectMany(m => m.Attachments).CountAsync(),
            await db.AttachmentBlobs.CountAsync(),
            await db.OutboxEmails.CountAsync(e => e.TicketId == id),
            await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync()));
    }

    private static byte[] Decode(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return bytes.ToArray();
    }
}

public sealed class ConversationPageTestsOnSqlite(SqliteConversationPageApp app) : ConversationPageTests(app), IClassFixture<SqliteConversationPageApp>;

public sealed class ConversationPageTestsOnPostgres(PostgresConversationPageApp app) : ConversationPageTests(app), IClassFixture<PostgresConversationPageApp>;
