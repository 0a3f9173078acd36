using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// The queue and the ticket page worked with the keyboard alone (keys.js), on both databases: a
/// moderator signs in, finds a ticket with j/k, opens it with Enter, claims it (a), replies (r,
/// Ctrl+Enter) and resolves it (e, Ctrl+Enter), then moves to the next ticket (j); the help (?) is
/// a modal dialog; letters typed into a field stay text.
/// </summary>
public abstract partial class KeyboardTests(ConversationPageApp fixture)
{
    private readonly ContactDeskApp app = fixture;
    private readonly Chromium chromium = fixture.Chromium;

    [Fact]
    public async Task Claim_reply_and_resolve_without_the_mouse()
    {
        var word = UniqueWord();
        var first = await app.SubmitAsync($"Keys {word} one", "Where is my parcel?", email: $"k-{word}@example.com");
        var second = await app.SubmitAsync($"Keys {word} two", "And the other one?", email: $"k-{word}@example.com");
        var moderator = await app.CreateUserAsync("moderator", $"Kim {word}"[..12]);
        var page = await chromium.NewPageAsync();

        // Sign in: type, Tab, Enter.
        await page.GotoAsync("/admin/login");
        await page.GetByLabel("Email").FocusAsync();
        await page.Keyboard.TypeAsync(moderator.Email);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(moderator.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // The queue, oldest first: j and k move between the tickets, Enter opens one.
        await page.GotoAsync($"/admin?search={word}&ordering=created_at");
        await page.Keyboard.PressAsync("j");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Number(first) })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("j");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Number(second) })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("k");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Number(first) })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync(Number(first));

        // a: assign to me.
        await page.Keyboard.PressAsync("a");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Assigned to you.");
        await Expect(page.Locator("#assignee")).ToHaveTextAsync(moderator.Name);

        // r: the reply box; the letters typed there (every shortcut among them) stay text; Ctrl+Enter sends.
        const string reply = "Just a quick answer: it's on its way, see the tracking? Kind regards, Kim";
        await page.Keyboard.PressAsync("r");
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(reply);
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToHaveValueAsync(reply);
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        var sent = page.Locator("#thread article").Nth(1);
        await Expect(sent).ToHaveClassAsync("msg reply");
        await Expect(sent.Locator(".body")).ToHaveTextAsync(reply);

        // e: the resolution notes; Ctrl+Enter resolves.
        await page.Keyboard.PressAsync("e");
        await Expect(page.GetByLabel("Resolution notes")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Parcel delivered.");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Resolved; the submitter is being emailed.");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Resolved");
        await Expect(page.Locator("#resolution-notes")).ToHaveTextAsync("Parcel delivered.");

        // j: the next ticket of the queue as it was listed; k: back.
        await page.Keyboard.PressAsync("j");
        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync(Number(second));
        await page.Keyboard.PressAsync("k");
        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync(Number(first));

        // n: an internal note, sent the same way.
        await page.Keyboard.PressAsync("n");
        await page.Keyboard.TypeAsync("Customer was happy.");
        await Expect(page.Locator("#reply-mode")).ToHaveTextAsync("Ctrl+Enter adds an internal note.");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Internal note added.");
        await Expect(page.Locator("#thread article").Nth(2)).ToHaveClassAsync("msg note");

        var stored = await moderator.Client.GetObjectAsync($"{Contact}/{first.IdOf()}");
        Assert.Equal("resolved", (string?)stored["status"]);
        Assert.Equal(moderator.Id.ToString(), (string?)stored["assigned_to"]!["id"]);

        // The dashboard says a sub-hour average in minutes.
        await page.GotoAsync("/admin/dashboard");
        await Expect(page.Locator("#stat-resolution")).ToHaveTextAsync(Minutes());
    }

    [Fact]
    public async Task The_help_is_a_dialog_opened_with_a_question_mark_and_shortcuts_wait_for_fields_and_modifiers()
    {
        var ticket = await app.SubmitAsync($"Help {UniqueWord()}");
        var moderator = await app.CreateUserAsync("moderator");
        var page = await chromium.SignInAsync(moderator);
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");

        await page.Keyboard.PressAsync("?");
        var help = page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" });
        await Expect(help).ToBeVisibleAsync();
        await Expect(help).ToContainTextAsync("Assign to me");
        await Expect(help).ToContainTextAsync("Write an internal note");
        await Expect(help.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToBeFocusedAsync();
        // While it is open, shortcuts wait: a does not claim.
        await page.Keyboard.PressAsync("a");
        await page.Keyboard.PressAsync("Escape");
        await Expect(help).ToBeHiddenAsync();

        // With a modifier held, or in a field, a letter is not a shortcut; then a plain "a" claims.
        await page.Keyboard.PressAsync("Alt+a");
        await page.GetByLabel("Admin notes (internal)").FocusAsync();
        await page.Keyboard.TypeAsync("a");
        await Expect(page.GetByLabel("Admin notes (internal)")).ToHaveValueAsync("a");
        await Expect(page.Locator("#assignee")).ToHaveTextAsync("Nobody");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => document.activeElement.blur()");
        await page.Keyboard.PressAsync("a");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Assigned to you.");
        Assert.Equal(moderator.Id.ToString(), (string?)(await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}"))["assigned_to"]!["id"]);

        // The queue has its own list, opened from the button by the heading as well.
        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keyboard shortcuts" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Next ticket in the list");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keyboard shortcuts" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task After_a_server_side_error_the_first_invalid_field_has_the_focus()
    {
        var visitor = await chromium.NewPageAsync();
        await visitor.GotoAsync("/contact");
        await ContactFormPage.FillAsync(visitor, "Fay Focus", "not-an-address", "Focus", "");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(visitor.GetByLabel("Email")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(visitor.GetByLabel("Email")).ToBeFocusedAsync(); // the first of the two wrong fields

        var ticket = await app.SubmitAsync($"Focus {UniqueWord()}");
        var page = await chromium.SignInAsync(await app.CreateUserAsync("moderator"));
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Internal note" }).ClickAsync();
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();

        await page.GotoAsync("/admin?created_after=yesterday");
        await Expect(page.GetByLabel("Created from")).ToBeFocusedAsync();
    }

    private static string Number(System.Text.Json.Nodes.JsonObject ticket) => (string)ticket["ticket_number"]!;

    [GeneratedRegex(@"^(< 1|\d+) min$")]
    private static partial Regex Minutes();
}

public sealed class KeyboardTestsOnSqlite(SqliteConversationPageApp app) : KeyboardTests(app), IClassFixture<SqliteConversationPageApp>;

public sealed class KeyboardTestsOnPostgres(PostgresConversationPageApp app) : KeyboardTests(app), IClassFixture<PostgresConversationPageApp>;
