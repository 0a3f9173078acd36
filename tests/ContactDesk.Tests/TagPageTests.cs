using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>Tags and canned responses on the pages, in a real browser: tag editing with suggestions, the queue's chips and filter, the picker's preview.</summary>
public sealed class TagPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Tags_are_added_with_suggestions_shown_as_chips_filtered_on_and_removed()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var w = "p" + Guid.NewGuid().ToString("N")[..8];
        var other = await app.SubmitAsync();
        await moderator.Client.PatchJsonAsync(other.IdOf(), new { tags = new[] { $"{w}-known" } });
        var ticket = await app.SubmitAsync(subject: $"Tagged {w}");
        var page = await app.SignInAsync(moderator);
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");

        await Expect(page.Locator("#no-tags")).ToBeVisibleAsync();
        // The field suggests the tags in use, with their counts.
        await Expect(page.Locator($"#tag-options option[value='{w}-known']")).ToHaveCountAsync(1);
        var field = page.GetByLabel("Add a tag");
        await field.FillAsync($"  {w}-KNOWN ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add tag" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Tag added.");
        await page.GetByLabel("Add a tag").FillAsync($"{w}-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add tag" }).ClickAsync();
        await Expect(page.Locator("#ticket-tags li")).ToHaveTextAsync([$"{w}-known ×", $"{w}-new ×"]);

        await page.GetByLabel("Add a tag").FillAsync("not a tag!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add tag" }).ClickAsync();
        await Expect(page.Locator("#tag-error")).ToContainTextAsync("is not a tag");
        await Expect(page.GetByLabel("Add a tag")).ToHaveAttributeAsync("aria-invalid", "true");

        // The queue shows the chips; filtering on two tags finds only this ticket.
        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Tags", Exact = true }).FillAsync($"{w}-known, {w}-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var rows = page.Locator("tbody tr[data-ticket]");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-ticket", (string)ticket["ticket_number"]!);
        await Expect(rows.First.Locator(".tag-chip")).ToHaveTextAsync([$"{w}-known", $"{w}-new"]);

        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove tag {w}-known" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Tag removed.");
        await Expect(page.Locator("#ticket-tags li")).ToHaveTextAsync([$"{w}-new ×"]);
        await Expect(page.Locator("#history")).ToContainTextAsync($"Tags changed from {w}-known, {w}-new to {w}-new");
    }

    [Fact]
    public async Task The_picker_previews_the_response_and_the_reply_applies_it()
    {
        var moderator = await app.CreateUserAsync("moderator", "Pia Picker");
        var w = "p" + Guid.NewGuid().ToString("N")[..8];
        var ticket = await app.SubmitAsync(name: "Cleo Customer");
        var page = await app.SignInAsync(moderator);

        // Made on the canned responses page.
        await page.GotoAsync("/admin/canned-responses");
        await page.GetByLabel("Title").FillAsync($"Thanks {w}");
        await page.GetByLabel("Text (Liquid)").FillAsync("Hi {{ submitter.name }}, {{ agent.name }} here about {{ ticket.number }}.");
        await page.GetByLabel("Then set the status to").SelectOptionAsync("in_progress");
        await page.GetByLabel("And add the tags").FillAsync($"{w}-thanked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Saved \"Thanks {w}\".");
        await page.GetByLabel("Text (Liquid)").FillAsync("Hi {{ customer.name }}");
        await page.GetByLabel("Title").FillAsync("Broken");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#body-error")).ToContainTextAsync("Unknown variable customer.name");

        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await page.GetByLabel("Canned response").SelectOptionAsync(new SelectOptionValue { Label = $"Thanks {w} (personal)" });
        var number = (string)ticket["ticket_number"]!;
        var expected = $"Hi Cleo Customer, Pia Picker here about {number}.";
        await Expect(page.Locator("#reply-canned-text")).ToHaveTextAsync(expected);

        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("One moment.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        await Expect(page.Locator("#thread article").Nth(1).Locator(".body")).ToHaveTextAsync($"One moment.\n\n{expected}");
        await Expect(page.Locator("#status")).ToHaveTextAsync("In progress");
        await Expect(page.Locator("#ticket-tags li")).ToHaveTextAsync([$"{w}-thanked ×"]);
    }
}
