using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>The webhooks admin page in a real browser: add one (its secret shown once), change it, its delivery log, delete it.</summary>
public sealed class WebhookPageTests(WebhookPageTests.App app) : IClassFixture<WebhookPageTests.App>
{
    [Fact]
    public async Task An_admin_adds_a_webhook_sees_its_secret_once_changes_it_redelivers_and_deletes_it()
    {
        var page = await app.SignInAsync(await app.CreateUserAsync("admin"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Exact = true })).ToBeVisibleAsync();

        // A private address is a field error beside the field; nothing is saved.
        await page.GetByLabel("URL").FillAsync("http://127.0.0.1:9/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Expect(page.GetByLabel("URL")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#url-error")).ToContainTextAsync("loopback, private or link-local");
        Assert.Equal(0, await app.QueryAsync(db => db.Webhooks.CountAsync(w => w.Url == "http://127.0.0.1:9/hook")));

        var url = $"https://203.0.113.{Random.Shared.Next(1, 250)}/hook/{Guid.NewGuid():N}";
        await page.GetByLabel("URL").FillAsync(url);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = WebhookEvents.TicketUpdated }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();

        var stored = await app.QueryAsync(db => db.Webhooks.AsNoTracking().SingleAsync(w => w.Url == url));
        await Expect(page.Locator("#secret-value")).ToHaveTextAsync(stored.Secret);
        Assert.DoesNotContain(WebhookEvents.TicketUpdated, stored.EventList);
        Assert.Equal(3, stored.EventList.Count);
        // Shown once: the next view of the page no longer has it.
        await page.ReloadAsync();
        await Expect(page.Locator("#secret-value")).ToHaveCountAsync(0);
        Assert.DoesNotContain(stored.Secret, await page.ContentAsync());

        // Change: only message.created, and paused.
        var row = page.Locator($"tr[data-url=\"{url}\"]");
        foreach (var name in new[] { WebhookEvents.TicketCreated, WebhookEvents.TicketResolved })
        {
            await row.GetByRole(AriaRole.Checkbox, new() { Name = name }).UncheckAsync();
        }
        await row.GetByRole(AriaRole.Checkbox, new() { Name = "Active" }).UncheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("(paused)");
        var changed = await app.QueryAsync(db => db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == stored.Id));
        Assert.Equal([WebhookEvents.MessageCreated], changed.EventList);
        Assert.False(changed.Active);

        // Back on, for ticket.created: a submission shows in its delivery log, and can be sent again.
        await row.GetByRole(AriaRole.Checkbox, new() { Name = WebhookEvents.TicketCreated }).CheckAsync();
        await row.GetByRole(AriaRole.Checkbox, new() { Name = "Active" }).CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).Not.ToContainTextAsync("(paused)");
        await app.SubmitAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "Deliveries" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/admin/webhooks/{stored.Id}$"));
        var delivery = page.Locator("#deliveries tbody tr").First;
        await Expect(delivery).ToContainTextAsync(WebhookEvents.TicketCreated);
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Queued again; it will be sent within moments.");

        await page.GetByRole(AriaRole.Link, new() { Name = "← Webhooks" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {url}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Webhook deleted, with its delivery log.");
        Assert.False(await app.QueryAsync(db => db.Webhooks.AnyAsync(w => w.Id == stored.Id)));
        Assert.False(await app.QueryAsync(db => db.WebhookDeliveries.AnyAsync(d => d.WebhookId == stored.Id)));
    }

    [Fact]
    public async Task A_moderator_is_denied_the_webhook_pages_and_a_post_without_the_antiforgery_token_is_refused()
    {
        var moderator = await app.SignInAsync(await app.CreateUserAsync("moderator"));
        await Expect(moderator.GetByRole(AriaRole.Link, new() { Name = "Webhooks" })).ToHaveCountAsync(0);
        Assert.Equal(403, (await moderator.GotoAsync("/admin/webhooks"))!.Status);
        Assert.Equal(403, (await moderator.GotoAsync($"/admin/webhooks/{Guid.NewGuid()}"))!.Status);

        var admin = await app.SignInAsync(await app.CreateUserAsync("admin"));
        var url = $"https://203.0.113.7/forged/{Guid.NewGuid():N}";
        var response = await admin.Context.APIRequest.PostAsync("/admin/webhooks?handler=Create", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
            Data = $"NewUrl={Uri.EscapeDataString(url)}&NewEvents=ticket.created",
            MaxRedirects = 0,
        });
        Assert.Equal(400, response.Status);
        Assert.False(await app.QueryAsync(db => db.Webhooks.AnyAsync(w => w.Url == url)));
    }

    /// <summary>
    /// Loopback and private destinations refused as by default; deliveries are queued and logged but not
    /// sent, since the page's webhooks name public addresses and no test may connect out of the machine.
    /// </summary>
    public sealed class App : BrowserApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Webhooks:DispatchEnabled", "false")];
    }
}
