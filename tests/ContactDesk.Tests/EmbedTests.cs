using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// embed.js on another website (a shop at https://shop.example, listed in Cors:AllowedOrigins, its
/// page served by the test): it renders the form there and posts it to the app's API across origins.
/// The shop is on https because Chromium lets no plain-http public page reach a loopback server.
/// </summary>
public sealed class EmbedTests(ShopEmbedApp app) : IClassFixture<ShopEmbedApp>
{
    [Fact]
    public async Task The_embedded_form_sends_a_ticket_from_another_site()
    {
        var page = await OpenShopPageAsync(ShopEmbedApp.Shop);
        var form = page.Locator("[data-contactdesk-form] form");
        await form.GetByLabel("Name").FillAsync("Eddie Embed");
        await form.GetByLabel("Email").FillAsync("eddie@example.com");
        await form.GetByLabel("Topic").SelectOptionAsync("account");
        var subject = $"Embedded {Guid.NewGuid():N}";
        await form.GetByLabel("Subject").FillAsync(subject);
        await form.GetByLabel("Message").FillAsync("I cannot change my password.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        var success = page.Locator(".cd-success");
        await Expect(success).ToHaveTextAsync(new Regex(@"your ticket number is CONT-\d{8}-\d{4,}\."));
        await Expect(success).ToBeFocusedAsync(); // the button that had focus is gone with the form
        await Expect(success).ToHaveRoleAsync(AriaRole.Status);
        var number = Regex.Match((await success.TextContentAsync())!, @"CONT-\d{8}-\d{4,}").Value;
        Assert.Equal(ShopEmbedApp.Shop + "/contact-us", page.Url); // still on the shop's page
        var stored = await app.QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Subject == subject));
        Assert.Equal(number, stored.TicketNumber);
        Assert.Equal("Eddie Embed", stored.Name);
        Assert.Equal(Tickets.TicketCategory.Account, stored.Category);
        Assert.Empty(app.Dialogs);
    }

    [Fact]
    public async Task A_field_error_from_the_API_is_shown_beside_the_field()
    {
        var page = await OpenShopPageAsync(ShopEmbedApp.Shop);
        var form = page.Locator("[data-contactdesk-form] form");
        await form.GetByLabel("Name").FillAsync("Eddie Embed");
        await form.GetByLabel("Email").FillAsync("not-an-email");
        var subject = $"Embedded error {Guid.NewGuid():N}";
        await form.GetByLabel("Subject").FillAsync(subject);
        await form.GetByLabel("Message").FillAsync("Hello");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        var email = form.GetByLabel("Email");
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        var errorId = await email.GetAttributeAsync("aria-describedby");
        var error = form.Locator($"[id='{errorId}']");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).Not.ToBeEmptyAsync();
        await Expect(email).ToHaveAccessibleDescriptionAsync((await error.TextContentAsync())!);
        // Beside its field: in the same wrapper, right after it.
        Assert.True(await error.EvaluateAsync<bool>("(e, id) => e.previousElementSibling.id === id", await email.GetAttributeAsync("id")));
        await Expect(form.Locator(".cd-error:visible")).ToHaveCountAsync(1);
        await Expect(form.GetByRole(AriaRole.Status)).Not.ToHaveTextAsync("Sending…");
        await Expect(form.GetByLabel("Subject")).ToHaveValueAsync(subject); // nothing typed is lost
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));

        // Corrected, it sends, and the error goes.
        await email.FillAsync("eddie@example.com");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator(".cd-success")).ToContainTextAsync("your ticket number is CONT-");
        Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Fact]
    public async Task On_a_site_that_is_not_allowed_the_embedded_form_reports_a_failure()
    {
        var page = await OpenShopPageAsync("https://other.example");
        var form = page.Locator("[data-contactdesk-form] form");
        await form.GetByLabel("Name").FillAsync("Olga Other");
        await form.GetByLabel("Email").FillAsync("olga@example.com");
        await form.GetByLabel("Subject").FillAsync($"Other site {Guid.NewGuid():N}");
        await form.GetByLabel("Message").FillAsync("Hello");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        // The answer carries no Access-Control-Allow-Origin for this site, so its page cannot read it.
        // (While a test routes requests, Playwright answers CORS preflights itself; that the app
        // refuses this site's preflight is checked over HTTP in SecurityHeaderTests.)
        await Expect(form.GetByRole(AriaRole.Status)).ToContainTextAsync("Sending failed");
        await Expect(page.Locator(".cd-success")).ToHaveCountAsync(0);
        await Expect(form.GetByRole(AriaRole.Button, new() { Name = "Send message" })).ToBeEnabledAsync();
    }

    /// <summary>A page of another site, with the embed snippet from the app's instructions.</summary>
    [Fact]
    public async Task The_embedded_form_suggests_help_articles_across_origins()
    {
        var moderator = await app.ClientForAsync("moderator");
        var w = "zq" + Guid.NewGuid().ToString("N")[..8];
        var article = await KnowledgeBase.KbApi.CreateArticleAsync(moderator, $"Password {w} reset", $"Reset a {w} password from the sign-in page.");
        var page = await OpenShopPageAsync(ShopEmbedApp.Shop);
        var form = page.Locator("[data-contactdesk-form] form");
        await form.GetByLabel("Subject").PressSequentiallyAsync($"passwords {w}");
        var link = form.GetByRole(AriaRole.Region, new() { Name = "Help articles that may answer your question" }).GetByRole(AriaRole.Link);
        await Expect(link).ToHaveTextAsync($"Password {w} reset");
        await Expect(link).ToHaveAttributeAsync("href", new Regex($"^http://127\\.0\\.0\\.1:\\d+/kb/{article["slug"]}$"));
        await Expect(form.Locator(".cd-suggestions-status")).ToHaveTextAsync("1 help article may answer your question.");
        Assert.Empty(app.Dialogs);
    }

    private async Task<IPage> OpenShopPageAsync(string origin)
    {
        // The shop is a public site and the app listens on loopback: Chromium asks the user first.
        var page = await app.NewPageAsync(new() { Permissions = ["local-network-access"] });
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Shop · Contact</title></head>
            <body><h1>Contact the shop</h1>
            <div data-contactdesk-form></div>
            <script src="{new Uri(app.ServerAddress(), "/embed.js")}" defer></script>
            </body></html>
            """;
        await page.RouteAsync($"{origin}/**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = html }));
        await page.GotoAsync($"{origin}/contact-us");
        await Expect(page.Locator("[data-contactdesk-form] form")).ToBeVisibleAsync();
        return page;
    }
}
