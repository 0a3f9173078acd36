using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;

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

        var number = await page.Locator("#ticket-number").TextContentAsync();
        Assert.Matches(@"^CONT-\d{8}-\d{4,}$", number);

        var moderator = await app.CreateUserAsync("moderator");
        var queue = await app.SignInAsync(moderator);
        await queue.GotoAsync($"/admin?search={subject}");
        Assert.Equal(1, await queue.Locator($"tr[data-ticket='{number}']").CountAsync());
    }
}
