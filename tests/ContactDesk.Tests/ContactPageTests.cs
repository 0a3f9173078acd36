using System.Text.Json;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>The public form at /contact, in a real browser.</summary>
public sealed class ContactPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Submitting_the_form_shows_the_ticket_number_and_the_ticket_reaches_the_queue()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/contact");
        await page.GetByLabel("Name").FillAsync("Paula Page");
        await page.GetByLabel("Email").FillAsync("paula@example.com");
        await page.GetByLabel("Topic").SelectOptionAsync("bug");
        var subject = $"Form {Guid.NewGuid():N}";
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync("The checkout button does nothing.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^CONT-\d{8}-\d{4,}$"));
        var number = await page.Locator("#ticket-number").TextContentAsync();

        var moderator = await app.CreateUserAsync("moderator");
        var queue = await app.SignInAsync(moderator);
        await queue.GotoAsync($"/admin?search={subject}");
        var row = queue.Locator($"tr[data-ticket='{number}']");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(subject);
        await Expect(row).ToContainTextAsync("Paula Page");
        await Expect(row).ToContainTextAsync("bug");
    }

    [Fact]
    public async Task A_file_larger_than_the_64_KiB_form_limit_is_taken_within_the_attachment_limits()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/contact");
        var subject = $"Large file {Guid.NewGuid():N}";
        await ContactFormPage.FillAsync(page, "Lars Large", "lars@example.com", subject, "The whole log is attached.");
        var log = Infrastructure.MultipartBody.Unique(300 * 1024);
        await page.GetByLabel("Attachments").SetInputFilesAsync(new FilePayload { Name = "app.log", MimeType = "text/plain", Buffer = log });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(page.Locator("#ticket-number")).ToBeVisibleAsync();
        var id = await app.QueryAsync(db => db.Tickets.Where(t => t.Subject == subject).Select(t => t.Id).SingleAsync());
        var sizes = await app.QueryAsync(db => db.Messages.Where(m => m.TicketId == id).SelectMany(m => m.Attachments).Select(a => a.Size).ToListAsync());
        Assert.Equal([log.Length], sizes);
    }

    [Fact]
    public async Task Files_sent_with_a_field_error_are_asked_for_again_and_nothing_is_stored()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/contact");
        var subject = $"Bad email with a file {Guid.NewGuid():N}";
        await ContactFormPage.FillAsync(page, "Fred Files", "not-an-email", subject, "See the attached file.");
        await page.GetByLabel("Attachments").SetInputFilesAsync(new FilePayload { Name = "a.txt", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(page.GetByLabel("Email")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Attachments")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#files-error")).ToContainTextAsync("choose the files again");
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Fact]
    public async Task A_bad_email_is_shown_beside_its_field_and_the_other_values_are_kept()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/contact");
        await page.GetByLabel("Name").FillAsync("Erin Error");
        await page.GetByLabel("Email").FillAsync("not-an-email");
        await page.GetByLabel("Topic").SelectOptionAsync("feature");
        var subject = $"Bad email {Guid.NewGuid():N}";
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync("Line one\nLine two");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        var email = page.GetByLabel("Email");
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(email).ToHaveAttributeAsync("aria-describedby", "email-error");
        // The message is the field's accessible description, right after it.
        await Expect(page.Locator("#email-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#email + #email-error")).ToHaveCountAsync(1);
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("#email-error").TextContentAsync()));
        await Expect(email).ToHaveAccessibleDescriptionAsync((await page.Locator("#email-error").TextContentAsync())!);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("correct the marked fields");

        // Only the email is marked; everything typed is still there.
        await Expect(page.Locator("[aria-invalid=true]")).ToHaveCountAsync(1);
        await Expect(email).ToHaveValueAsync("not-an-email");
        await Expect(page.GetByLabel("Name")).ToHaveValueAsync("Erin Error");
        await Expect(page.GetByLabel("Topic")).ToHaveValueAsync("feature");
        await Expect(page.GetByLabel("Subject")).ToHaveValueAsync(subject);
        await Expect(page.GetByLabel("Message")).ToHaveValueAsync("Line one\nLine two");
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));

        // Corrected, the same page sends.
        await email.FillAsync("erin@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#ticket-number")).ToBeVisibleAsync();
        Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject && t.Email == "erin@example.com")));
    }

    [Fact]
    public async Task The_form_works_without_JavaScript()
    {
        var page = await app.NewPageAsync(new() { JavaScriptEnabled = false });
        await page.GotoAsync("/contact");
        await page.GetByLabel("Name").FillAsync("Nora NoScript");
        await page.GetByLabel("Email").FillAsync("bad");
        var subject = $"No script {Guid.NewGuid():N}";
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync("Sent from a browser without JavaScript.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#email-error")).ToBeVisibleAsync();

        await page.GetByLabel("Email").FillAsync("nora@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^CONT-\d{8}-\d{4,}$"));
        var number = await page.Locator("#ticket-number").TextContentAsync();
        Assert.Equal(number, await app.QueryAsync(db => db.Tickets.Where(t => t.Subject == subject).Select(t => t.TicketNumber).SingleAsync()));
    }

    [Fact]
    public async Task Sending_the_same_rendered_form_twice_makes_one_ticket()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/contact");
        var subject = $"Twice {Guid.NewGuid():N}";
        await ContactFormPage.FillAsync(page, "Dora Double", "dora@example.com", subject, "I clicked twice.");
        // Everything the browser will send, the form's idempotency key and antiforgery token included.
        var fields = await page.Locator("form").EvaluateAsync<Dictionary<string, string>>(
            "f => Object.fromEntries([...new FormData(f)].filter(([, value]) => typeof value === 'string'))"); // the text fields: no file chosen
        Assert.False(string.IsNullOrEmpty(fields["Form.IdempotencyKey"]));

        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#ticket-number")).ToBeVisibleAsync();
        var number = await page.Locator("#ticket-number").TextContentAsync();

        // The same form posted again from the same browser (a reload of the result, a second click).
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }
        var again = await page.Context.APIRequest.PostAsync("/contact", new() { Form = form });
        Assert.Equal(200, again.Status);
        Assert.Contains($"id=\"ticket-number\">{number}<", await again.TextAsync());

        Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Fact]
    public async Task A_filled_honeypot_shows_thanks_but_stores_nothing()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/contact");
        var honeypot = page.Locator("input[name='Form.Website']");
        // Hidden from people (off screen, out of the tab order and the accessibility tree); a bot fills it anyway.
        await Expect(honeypot).ToHaveAttributeAsync("tabindex", "-1");
        await Expect(page.Locator(".honeypot")).ToHaveAttributeAsync("aria-hidden", "true");
        var box = await honeypot.BoundingBoxAsync();
        Assert.True(box is null || box.X + box.Width <= 0, $"the honeypot is on screen at {JsonSerializer.Serialize(box)}");

        await page.GetByLabel("Name").FillAsync("Bot McBotface");
        await page.GetByLabel("Email").FillAsync("bot@example.com");
        var subject = $"Spam {Guid.NewGuid():N}";
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync("Cheap watches");
        await honeypot.FillAsync("https://spam.example", new() { Force = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Thank you");
        await Expect(page.Locator("#ticket-number")).ToHaveCountAsync(0);
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }
}
