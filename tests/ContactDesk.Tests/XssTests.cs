using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>Markup submitted by a visitor is shown as text on every admin page, and never runs.</summary>
public sealed class XssTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Script = "<script>alert(1)</script>";
    private const string Image = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task Markup_in_a_ticket_is_shown_as_text_on_the_queue_the_ticket_page_and_the_dashboard()
    {
        var word = UniqueWord();
        var name = $"{Script}{Image}";
        var subject = $"{Script} {Image} {word}";
        var message = $"{Script}\n{Image}\n\"quotes\" & 'apostrophes' {word}";
        var ticket = await app.SubmitAsync(subject, message, category: "abuse", name: name);
        var moderator = await app.CreateUserAsync("moderator");
        var page = await app.SignInAsync(moderator);

        await page.GotoAsync($"/admin?search={word}");
        var row = page.Locator($"tr[data-ticket='{ticket["ticket_number"]}']");
        await Expect(row.Locator("td.subject")).ToHaveTextAsync(subject);
        await Expect(row).ToContainTextAsync(name);
        await AssertNothingInjectedAsync(page);

        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await Expect(page.Locator("#message-heading")).ToHaveTextAsync(subject);
        await Expect(page.Locator("#from")).ToHaveTextAsync($"{name} <sam@example.com>");
        await Expect(page.Locator("#thread .msg.customer .body")).ToHaveTextAsync(message); // the first message of the thread
        await Expect(page.Locator("#history")).ToContainTextAsync(subject); // the trail shows the submitted fields too
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^CONT-"));
        await AssertNothingInjectedAsync(page);

        // Markup typed by a moderator is shown as text too, on the same page and in the trail.
        await page.GetByLabel("Admin notes (internal)").FillAsync(Image);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await page.GetByLabel("Resolution notes").FillAsync(Script);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Expect(page.Locator("#resolution-notes")).ToHaveTextAsync(Script);
        await Expect(page.GetByLabel("Admin notes (internal)")).ToHaveValueAsync(Image);
        await Expect(page.Locator("#history")).ToContainTextAsync(Image);
        await AssertNothingInjectedAsync(page);

        await page.GotoAsync("/admin/dashboard");
        await Expect(page.Locator("#by-category-chart rect.bar[data-category=abuse]")).ToHaveAttributeAsync("data-count", "1");
        await AssertNothingInjectedAsync(page);

        // The visitor's name, signed in as a moderator, is shown as text in the top bar.
        var odd = await app.CreateUserAsync("moderator", name);
        var oddPage = await app.SignInAsync(odd);
        await Expect(oddPage.Locator(".who")).ToHaveTextAsync(name);
        await AssertNothingInjectedAsync(oddPage);
    }

    private async Task AssertNothingInjectedAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        // Only the site's own elements: no script or image came from the data.
        Assert.Equal(0, await page.Locator("main img, main script, header img, header script").CountAsync());
        var scripts = await page.Locator("script").EvaluateAllAsync<string[]>("s => s.map(e => e.src)");
        Assert.All(scripts, src => Assert.Matches(@"/js/(admin|kb-link|pages|keys|canned-picker|live)\.js\?v=", src)); // the site's own, versioned
        Assert.Empty(app.Dialogs);
    }
}
