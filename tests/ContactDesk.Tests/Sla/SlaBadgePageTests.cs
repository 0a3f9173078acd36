using System.Net;
using System.Net.Http.Json;
using ContactDesk.Identity;
using ContactDesk.Sla;
using ContactDesk.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests.Sla;

/// <summary>The app in Chromium with a clock the test moves (see <see cref="SlaClockSetup"/>).</summary>
public sealed class SlaBrowserApp : BrowserApp
{
    public FakeTimeProvider Clock { get; } = new(SlaClockSetup.Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SlaClockSetup.Use(builder, Clock);
    }
}

/// <summary>
/// The SLA badge in a real browser as time passes: the default policy (Mon–Fri 09:00–17:00 UTC, a
/// normal ticket's first response due after 8 business hours, warning 60 minutes before), a ticket
/// submitted on Monday at 10:00, the clock moved past the warning and then past the deadline with
/// the SLA job run each time, and the queue and the ticket page reloaded.
/// </summary>
public sealed class SlaBadgePageTests(SlaBrowserApp app) : IClassFixture<SlaBrowserApp>
{
    [Fact]
    public async Task The_badge_shows_the_time_left_then_the_warning_then_the_breach_as_the_clock_moves()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        await (await admin.Client.PutAsJsonAsync("/api/v1/admin/sla", SlaSettings.Default with { Enabled = true }, ContactDeskApp.Json))
            .AssertStatusAsync(HttpStatusCode.OK);
        var monday = SlaClockSetup.Start.UtcDateTime; // Monday 10:00 UTC
        var ticket = await app.SubmitAsync();
        var number = (string)ticket["ticket_number"]!;

        // Due Tuesday 10:00 (7 business hours on Monday, 1 on Tuesday): a day left.
        await ExpectBadgeAsync(admin, ticket.IdOf(), number, "sla-ok", "1 d 0 h left");

        app.Clock.SetUtcNow(new DateTimeOffset(monday.AddHours(23).AddMinutes(30), TimeSpan.Zero)); // Tuesday 09:30
        await app.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(CancellationToken.None);
        await ExpectBadgeAsync(admin, ticket.IdOf(), number, "sla-warning", "30 min left");

        app.Clock.SetUtcNow(new DateTimeOffset(monday.AddDays(1).AddMinutes(45), TimeSpan.Zero)); // Tuesday 10:45
        await app.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(CancellationToken.None);
        await ExpectBadgeAsync(admin, ticket.IdOf(), number, "sla-breached", "45 min over");
    }

    /// <summary>Signs in at the clock's time, opens the queue and the ticket page and checks the badge on both.</summary>
    private async Task ExpectBadgeAsync(TestUser user, Guid id, string number, string cssClass, string text)
    {
        var page = await app.NewPageAsync();
        // The sign-in cookie is issued at the fake time (the browser's own clock is real): a session cookie whose ticket the app checks.
        await page.Context.AddCookiesAsync([await AuthCookieAsync(user)]);
        try
        {
            await page.GotoAsync("/admin");
            var queueBadge = page.Locator($"tr[data-ticket=\"{number}\"] .sla");
            await Expect(queueBadge).ToHaveClassAsync(new System.Text.RegularExpressions.Regex($"\\b{cssClass}\\b"));
            await Expect(queueBadge).ToHaveTextAsync(text);

            await page.GotoAsync($"/admin/contact/{id}");
            var badge = page.Locator("#sla .sla");
            await Expect(badge).ToHaveClassAsync(new System.Text.RegularExpressions.Regex($"\\b{cssClass}\\b"));
            await Expect(badge).ToHaveTextAsync(text);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<Microsoft.Playwright.Cookie> AuthCookieAsync(TestUser user)
    {
        using var scope = app.Services.CreateScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(user.Id.ToString());
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(account!);
        var options = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var now = app.Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) },
            IdentityConstants.ApplicationScheme);
        return new Microsoft.Playwright.Cookie { Name = options.Cookie.Name!, Value = options.TicketDataFormat.Protect(ticket), Url = app.ServerAddress().ToString() };
    }
}
