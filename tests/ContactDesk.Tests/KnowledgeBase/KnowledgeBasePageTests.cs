using System.Net;
using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>The knowledge base in a real browser, on each database: suggestions on /contact, the public pages.</summary>
public abstract class KnowledgeBasePageTests(ConversationPageApp fixture)
{
    private ContactDeskApp App => fixture;

    [Fact]
    public async Task Typing_a_subject_shows_suggestions_and_opening_one_then_submitting_is_not_counted_as_answered()
    {
        var moderator = await App.ClientForAsync("moderator");
        var w = "zq" + Guid.NewGuid().ToString("N")[..8];
        var article = await moderator.CreateArticleAsync($"Refund for {w} orders", $"Refunds for {w} orders take five days.");
        await moderator.CreateArticleAsync($"Hidden {w} refund draft", "Not for visitors.", status: "draft");

        var page = await fixture.Chromium.NewPageAsync();
        await page.GotoAsync("/contact");
        await page.GetByLabel("Subject").PressSequentiallyAsync($"refunds {w}");
        var suggestions = page.GetByRole(AriaRole.Region, new() { Name = "These articles may answer your question" });
        await Expect(suggestions.GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
        await Expect(page.Locator("#kb-suggestions-status")).ToContainTextAsync("1 help article may answer your question");
        await Expect(page.Locator("#kb-suggestions-status")).ToHaveAttributeAsync("aria-live", "polite");

        // Keyboard: the link is reachable with Tab from the message field.
        await page.GetByLabel("Message").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(suggestions.GetByRole(AriaRole.Link)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex($"/kb/{article["slug"]}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Refund for {w} orders");

        await page.GoBackAsync();
        await Expect(page.GetByLabel("Subject")).ToHaveValueAsync($"refunds {w}");
        var visit = await page.Locator("#kb-visit-id").InputValueAsync();
        Assert.Matches("^[0-9a-f]{32}$", visit);
        await WaitForAsync(() => App.QueryAsync(db => db.SuggestionVisits.AnyAsync(v => v.VisitId == visit)));

        await page.GetByLabel("Name").FillAsync("Kim Visitor");
        await page.GetByLabel("Email").FillAsync("kim@example.com");
        await page.GetByLabel("Message").FillAsync("The article did not cover my case.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync(new Regex(@"^CONT-\d{8}-\d{4,}$"));
        Assert.True(await App.QueryAsync(db => db.SuggestionVisits.AnyAsync(v => v.VisitId == visit && v.SubmittedAt != null)));
    }

    [Fact]
    public async Task Without_JavaScript_the_form_submits_and_the_help_centre_searches()
    {
        var moderator = await App.ClientForAsync("moderator");
        var w = "zq" + Guid.NewGuid().ToString("N")[..8];
        var article = await moderator.CreateArticleAsync($"Parcel {w} tracking", $"Track {w} parcels with the number in the email.", category: "Shipping");

        var page = await fixture.Chromium.NewPageAsync(new() { JavaScriptEnabled = false });
        await page.GotoAsync("/contact");
        await Expect(page.Locator("#kb-suggestions")).ToBeHiddenAsync();
        await page.GetByLabel("Name").FillAsync("Nora NoScript");
        await page.GetByLabel("Email").FillAsync("nora@example.com");
        await page.GetByLabel("Subject").FillAsync($"Where is my parcel {w}");
        await page.GetByLabel("Message").FillAsync("No script here.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync(new Regex(@"^CONT-\d{8}-\d{4,}$"));

        await page.GotoAsync("/kb");
        await page.GetByLabel("Search the articles").FillAsync($"parcels {w}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Parcel {w} tracking" }).ClickAsync();
        await Expect(page).ToHaveTitleAsync($"Parcel {w} tracking · ContactDesk");
        await Expect(page.Locator("link[rel=canonical]")).ToHaveAttributeAsync("href", new Regex($"^https?://[^/]+/kb/{article["slug"]}$"));
        await Expect(page.Locator("meta[name=description]")).ToHaveAttributeAsync("content", $"Track {w} parcels with the number in the email.");
    }

    [Fact]
    public async Task A_moderator_writes_previews_and_publishes_an_article_then_links_it_in_a_reply()
    {
        var moderator = await App.CreateUserAsync("moderator");
        var w = "zq" + Guid.NewGuid().ToString("N")[..8];
        var page = await fixture.Chromium.SignInAsync(moderator);
        await page.GotoAsync("/admin/kb/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync($"Warranty {w} claims");
        await page.GetByLabel("Category").FillAsync("Repairs");
        await page.GetByLabel("Text (Markdown)").FillAsync("Send the **receipt**.\n\n<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Expect(page.Locator(".kb-preview strong")).ToHaveTextAsync("receipt");
        await Expect(page.Locator(".kb-preview script, .kb-preview a[href^=javascript]")).ToHaveCountAsync(0);
        await page.GetByLabel("Status").SelectOptionAsync("published");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "History" })).ToBeVisibleAsync();
        await Expect(page.Locator("ol.trail li")).ToHaveCountAsync(1);
        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().GetAsync($"/kb/warranty-{w}-claims")).StatusCode);

        var ticket = await App.SubmitAsync(subject: "Broken kettle", message: "It stopped working.");
        await page.GotoAsync($"/admin/contact/{ticket["id"]}");
        await page.GetByLabel("Search articles").FillAsync($"warranty {w}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Insert link to Warranty {w} claims" }).ClickAsync();
        await Expect(page.Locator("#reply-body")).ToHaveValueAsync(new Regex($@"^\[Warranty {w} claims\]\(https?://[^)]+/kb/warranty-{w}-claims\)$"));
        await Expect(page.Locator("#kb-link-status")).ToContainTextAsync("inserted");

        await page.GotoAsync("/admin/dashboard");
        await Expect(page.Locator("#stat-answered")).ToContainTextAsync("answered before a ticket");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50 && !await condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(await condition());
    }
}

public sealed class KnowledgeBasePageTestsOnSqlite(SqliteConversationPageApp app) : KnowledgeBasePageTests(app), IClassFixture<SqliteConversationPageApp>;

public sealed class KnowledgeBasePageTestsOnPostgres(PostgresConversationPageApp app) : KnowledgeBasePageTests(app), IClassFixture<PostgresConversationPageApp>;
