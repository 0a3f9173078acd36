using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// The live workspace in a real browser, two moderators in two browser contexts, on both
/// databases: what one does shows on the other's queue and ticket page within 2 s without a reload;
/// presence shows both; a reply after the other's newer reply asks first (with and without script).
/// </summary>
public abstract class LivePageTests(ConversationPageApp fixture)
{
    private readonly ContactDeskApp app = fixture;
    private readonly Chromium chromium = fixture.Chromium;

    /// <summary>What "without reload" means here: the change is on screen within this, the page never reloaded.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 2000 };

    [Fact]
    public async Task A_new_ticket_and_a_claim_show_on_the_other_moderators_queue_without_reload()
    {
        var (maria, mariaPage) = await SignInAsync("Maria Queue");
        var (_, tomPage) = await SignInAsync("Tom Queue");
        await OpenLiveAsync(tomPage, "/admin");

        var ticket = await app.SubmitAsync(subject: $"Live queue {UniqueWord()}");
        var bar = tomPage.Locator("#live-new");
        await Expect(bar).ToBeVisibleAsync(Soon);
        await Expect(bar).ToContainTextAsync("1 new ticket");
        await Expect(tomPage.Locator("#live-announce")).ToHaveTextAsync($"New ticket {ticket["ticket_number"]}");
        await AssertNotReloadedAsync(tomPage);

        await bar.GetByRole(AriaRole.Link, new() { Name = "Show" }).ClickAsync();
        var row = tomPage.Locator($"tr[data-ticket='{ticket["ticket_number"]}']");
        await Expect(row).ToContainTextAsync("—"); // nobody assigned yet
        await OpenLiveAsync(tomPage, null);

        await mariaPage.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await mariaPage.GetByRole(AriaRole.Button, new() { Name = "Assign to me" }).ClickAsync();
        await Expect(mariaPage.GetByRole(AriaRole.Status)).ToHaveTextAsync("Assigned to you.");

        await Expect(row.GetByText(maria.Name)).ToBeVisibleAsync(Soon);
        await Expect(row.Locator(".badge")).ToHaveTextAsync("In progress");
        await AssertNotReloadedAsync(tomPage);
    }

    [Fact]
    public async Task On_the_ticket_page_presence_shows_both_and_a_reply_and_a_resolution_appear_for_the_other()
    {
        var ticket = await app.SubmitAsync(subject: $"Live ticket {UniqueWord()}", message: "Where is my parcel?");
        var (maria, mariaPage) = await SignInAsync("Maria Ticket");
        var (tom, tomPage) = await SignInAsync("Tom Ticket");
        await OpenLiveAsync(mariaPage, $"/admin/contact/{ticket.IdOf()}");
        await OpenLiveAsync(tomPage, $"/admin/contact/{ticket.IdOf()}");

        await Expect(mariaPage.Locator("#presence")).ToContainTextAsync($"{tom.Name} is viewing this ticket");
        await Expect(tomPage.Locator("#presence")).ToContainTextAsync($"{maria.Name} is viewing this ticket");

        await mariaPage.GetByLabel("Message", new() { Exact = true }).FillAsync("It left our warehouse today.");
        await Expect(tomPage.Locator("#presence")).ToContainTextAsync($"{maria.Name} is writing a reply");

        await mariaPage.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        var reply = tomPage.Locator("#thread article").Nth(1);
        await Expect(reply).ToBeVisibleAsync(Soon);
        await Expect(reply.Locator(".body")).ToHaveTextAsync("It left our warehouse today.");
        await Expect(reply.Locator(".author")).ToHaveTextAsync(maria.Name);
        await Expect(tomPage.Locator("#assignee")).ToHaveTextAsync(maria.Name);
        // The reply assigned her too: the last of its two events is what was announced last.
        await Expect(tomPage.Locator("#live-announce")).ToHaveTextAsync($"{maria.Name} assigned {ticket["ticket_number"]}");

        await mariaPage.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Expect(tomPage.Locator("#status")).ToHaveTextAsync("Resolved", new() { Timeout = 2000 });
        await AssertNotReloadedAsync(tomPage);
    }

    [Fact]
    public async Task A_reply_after_the_others_newer_reply_asks_first_and_keeps_the_text_and_the_file()
    {
        var ticket = await app.SubmitAsync(subject: $"Collision {UniqueWord()}", message: "Can I return this?");
        var (maria, mariaPage) = await SignInAsync("Maria Race");
        var (_, tomPage) = await SignInAsync("Tom Race");
        await OpenLiveAsync(tomPage, $"/admin/contact/{ticket.IdOf()}");
        await tomPage.GetByLabel("Message", new() { Exact = true }).FillAsync("Yes, within 30 days.");
        await tomPage.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "returns.bin", MimeType = "application/octet-stream", Buffer = MultipartBody.Unique(300) });

        await mariaPage.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await mariaPage.GetByLabel("Message", new() { Exact = true }).FillAsync("Sure, here is the label.");
        await mariaPage.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Expect(tomPage.Locator("#thread article")).ToHaveCountAsync(2);

        await tomPage.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        var prompt = tomPage.Locator("#collision");
        await Expect(prompt).ToHaveRoleAsync(AriaRole.Alert);
        await Expect(prompt).ToContainTextAsync(new System.Text.RegularExpressions.Regex($"{maria.Name} replied \\d+ seconds? ago"));
        await Expect(tomPage.GetByLabel("Message", new() { Exact = true })).ToHaveValueAsync("Yes, within 30 days.");
        Assert.Equal(1, await tomPage.GetByLabel("Attach files").EvaluateAsync<int>("input => input.files.length"));
        await Expect(tomPage.Locator("#thread article")).ToHaveCountAsync(2); // nothing sent yet

        await prompt.GetByRole(AriaRole.Button, new() { Name = "Send anyway" }).ClickAsync();
        await Expect(tomPage.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        var sent = tomPage.Locator("#thread article").Nth(2);
        await Expect(sent.Locator(".body")).ToHaveTextAsync("Yes, within 30 days.");
        await Expect(sent.GetByRole(AriaRole.Link, new() { Name = "returns.bin" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Without_script_the_server_asks_before_a_reply_after_a_newer_one_and_keeps_the_text()
    {
        var ticket = await app.SubmitAsync(subject: $"No script {UniqueWord()}", message: "Is it in stock?");
        var maria = await app.CreateUserAsync("moderator", "Maria Server");
        var (_, tomPage) = await SignInAsync("Tom Server", new() { JavaScriptEnabled = false });
        await tomPage.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await tomPage.GetByLabel("Message", new() { Exact = true }).FillAsync("Back next week.");

        var answered = await maria.Client.PostAsync($"{Contact}/{ticket.IdOf()}/messages",
            System.Net.Http.Json.JsonContent.Create(new { kind = "reply", body = "In stock now." }));
        await answered.AssertStatusAsync(System.Net.HttpStatusCode.Created);
        await tomPage.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();

        var prompt = tomPage.Locator("#collision");
        await Expect(prompt).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Maria Server replied \\d+ seconds? ago"));
        await Expect(tomPage.Locator("#thread article").Nth(1).Locator(".body")).ToHaveTextAsync("In stock now.");
        await Expect(tomPage.GetByLabel("Message", new() { Exact = true })).ToHaveValueAsync("Back next week.");
        await prompt.GetByRole(AriaRole.Button, new() { Name = "Send anyway" }).ClickAsync();
        await Expect(tomPage.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        await Expect(tomPage.Locator("#thread article")).ToHaveCountAsync(3);
    }

    private async Task<(TestUser User, IPage Page)> SignInAsync(string name, BrowserNewContextOptions? options = null)
    {
        var user = await app.CreateUserAsync("moderator", $"{name} {Guid.NewGuid():N}"[..(name.Length + 5)]);
        return (user, await chromium.SignInAsync(user, options));
    }

    /// <summary>Opens <paramref name="path"/> (null: stays) and waits until its event stream is connected; marks the page to tell a reload.</summary>
    private static async Task OpenLiveAsync(IPage page, string? path)
    {
        if (path is not null)
        {
            await page.GotoAsync(path);
        }
        await Expect(page.Locator("#live[data-state='open']")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => { window.liveTestMark = 'not reloaded'; }");
    }

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.Equal("not reloaded", await page.EvaluateAsync<string?>("() => window.liveTestMark ?? null"));
}

public sealed class LivePageTestsOnSqlite(SqliteConversationPageApp app) : LivePageTests(app), IClassFixture<SqliteConversationPageApp>;

public sealed class LivePageTestsOnPostgres(PostgresConversationPageApp app) : LivePageTests(app), IClassFixture<PostgresConversationPageApp>;
