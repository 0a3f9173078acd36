using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ContactDesk.Identity;
using ContactDesk.Sla;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>The dashboard's numbers and SVG charts agree with the API's statistics.</summary>
public sealed class DashboardTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly string[] Categories = ["general", "bug", "feature", "abuse", "data", "account", "other"];

    [Fact]
    public async Task The_per_day_chart_has_one_bar_per_day_and_todays_bar_counts_todays_tickets()
    {
        string[] submitted = ["bug", "bug", "feature", "general"];
        foreach (var category in submitted)
        {
            await app.SubmitAsync(category: category);
        }
        var moderator = await app.CreateUserAsync("moderator");
        var page = await app.SignInAsync(moderator);
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        var stats = await moderator.Client.GetObjectAsync($"{Contact}/stats/overview");

        var bars = page.Locator("#per-day-chart rect.bar");
        await Expect(bars).ToHaveCountAsync(30);
        var days = await bars.EvaluateAllAsync<string[]>("bars => bars.map(b => b.dataset.day)");
        var today = DateTime.UtcNow.Date;
        Assert.Equal(Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), days);

        var todaysBar = bars.Last;
        Assert.Equal((int)stats["created_today"]!, submitted.Length); // a fresh database: only this test's tickets
        await Expect(todaysBar).ToHaveAttributeAsync("data-count", submitted.Length.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("#per-day-chart rect.bar:not([data-count='0'])")).ToHaveCountAsync(1);
        // The tallest bar fills the chart; the empty days have no height.
        Assert.True(await todaysBar.EvaluateAsync<double>("b => b.getBBox().height") > 100);
        Assert.Equal(0, await bars.First.EvaluateAsync<double>("b => b.getBBox().height"));
        await Expect(todaysBar.Locator("title")).ToHaveTextAsync($"{today:yyyy-MM-dd}: {submitted.Length}, first response —, SLA off");
        await Expect(page.Locator("#stat-total")).ToHaveTextAsync(((int)stats["total"]!).ToString(CultureInfo.InvariantCulture));

        var byCategory = page.Locator("#by-category-chart rect.bar");
        await Expect(byCategory).ToHaveCountAsync(Categories.Length);
        Assert.Equal(Categories.Order(), (await byCategory.EvaluateAllAsync<string[]>("bars => bars.map(b => b.dataset.category)")).Order());
        foreach (var category in Categories)
        {
            await Expect(page.Locator($"#by-category-chart rect.bar[data-category={category}]"))
                .ToHaveAttributeAsync("data-count", ((int)stats["by_category"]![category]!).ToString(CultureInfo.InvariantCulture));
        }
        await Expect(page.Locator("#by-category-chart rect.bar[data-category=bug]")).ToHaveAttributeAsync("data-count", "2");
        await Expect(page.Locator("#by-category-chart rect.bar[data-category=other]")).ToHaveAttributeAsync("data-count", "0");

        // Both charts are named for screen readers.
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Tickets per day, last 30 days" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "By category" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(0.7, "42 min")]
    [InlineData(0.25, "15 min")]
    [InlineData(0.005, "< 1 min")]
    [InlineData(0.99, "59 min")]
    [InlineData(0.995, "1 h")]
    [InlineData(3.46, "3.5 h")]
    [InlineData(null, "—")]
    public void An_average_under_an_hour_is_shown_in_minutes(double? hours, string shown) =>
        Assert.Equal(shown, ContactDesk.Web.Admin.DashboardModel.Duration(hours));
}

/// <summary>
/// The per-day chart's first-response time and SLA compliance, read from its table (the same
/// figures as the chart), for tickets placed on given days of the last 30.
/// </summary>
public abstract partial class DashboardDayFigureTests(ContactDeskApp app)
{
    private static readonly DateTime Today = DateTime.UtcNow.Date;

    [Fact]
    public async Task Each_day_shows_its_average_first_response_and_its_SLA_compliance_when_the_policy_is_on()
    {
        var admin = await SetSlaAsync(enabled: true);
        var day1 = Today.AddDays(-3);
        var day2 = Today.AddDays(-2);
        // Day 1: answered after 20 and 50 minutes (35 on average); one met both targets, one missed the first.
        await PlaceAsync(day1.AddHours(10), TimeSpan.FromMinutes(20), firstMet: true, resolutionMet: true);
        await PlaceAsync(day1.AddHours(12), TimeSpan.FromMinutes(50), firstMet: false, resolutionMet: null);
        // Day 2: answered after 3 hours within both targets; one not answered yet and undecided (left out of both).
        await PlaceAsync(day2.AddHours(9), TimeSpan.FromHours(3), firstMet: true, resolutionMet: true);
        await PlaceAsync(day2.AddHours(11), null, firstMet: null, resolutionMet: null);
        // Day 3: the first response met, the resolution still open: undecided.
        var day3 = Today.AddDays(-1);
        await PlaceAsync(day3.AddHours(8), TimeSpan.FromSeconds(20), firstMet: true, resolutionMet: null);

        var html = await DashboardAsync(admin);

        Assert.Equal(["2", "35 min", "50 % SLA met"], Row(html, day1));
        Assert.Equal(["2", "3 h", "100 % SLA met"], Row(html, day2));
        Assert.Equal(["1", "< 1 min", "SLA —"], Row(html, day3));
        Assert.Equal(["0", "—", "SLA —"], Row(html, Today.AddDays(-20)));
        Assert.Equal(30, RowPattern().Matches(html).Count);
        Assert.DoesNotContain("id=\"per-day-sla-off\"", html);
        // The chart carries the same figures: a line for the response times, a point per decided day.
        Assert.Contains($"{day1:yyyy-MM-dd}: 2, first response 35 min, 50 % SLA met", html);
        Assert.Contains("<polyline class=\"first-response\"", html);
        Assert.Contains($"<circle class=\"sla\" data-day=\"{day1:yyyy-MM-dd}\" data-pct=\"50\"", html);
        Assert.Contains($"<circle class=\"sla\" data-day=\"{day2:yyyy-MM-dd}\" data-pct=\"100\"", html);
        Assert.DoesNotContain($"<circle class=\"sla\" data-day=\"{day3:yyyy-MM-dd}\"", html);
    }

    [Fact]
    public async Task The_SLA_column_says_SLA_off_while_the_policy_is_off()
    {
        var admin = await SetSlaAsync(enabled: false);
        var day = Today.AddDays(-5);
        await PlaceAsync(day.AddHours(14), TimeSpan.FromMinutes(90), firstMet: true, resolutionMet: true);

        var html = await DashboardAsync(admin);

        Assert.Equal(["1", "1.5 h", "SLA off"], Row(html, day));
        Assert.Equal(["0", "—", "SLA off"], Row(html, Today));
        Assert.Contains("id=\"per-day-sla-off\"", html);
        Assert.DoesNotContain("<circle class=\"sla\"", html);
    }

    private async Task<TestUser> SetSlaAsync(bool enabled)
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var response = await admin.Client.PutAsJsonAsync("/api/v1/admin/sla", SlaSettings.Default with { Enabled = enabled }, ContactDeskApp.Json);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return admin;
    }

    /// <summary>A submitted ticket moved to <paramref name="createdAt"/>, answered after <paramref name="firstResponse"/>, with the SLA outcomes given (the SLA job left out).</summary>
    private async Task PlaceAsync(DateTime createdAt, TimeSpan? firstResponse, bool? firstMet, bool? resolutionMet)
    {
        var id = (await app.SubmitAsync()).IdOf();
        DateTime? answeredAt = firstResponse is { } after ? createdAt + after : null;
        await app.QueryAsync(db => db.Tickets.Where(t => t.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.CreatedAt, createdAt)
            .SetProperty(t => t.FirstResponseAt, answeredAt)
            .SetProperty(t => t.SlaFirstResponseMet, firstMet)
            .SetProperty(t => t.SlaResolutionMet, resolutionMet)
            .SetProperty(t => t.SlaNextCheckAt, (DateTime?)null)));
    }

    private async Task<string> DashboardAsync(TestUser user)
    {
        using var pages = await app.PageClientAsync(user);
        var response = await pages.GetAsync("/admin/dashboard");
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Tickets, average first response and SLA of <paramref name="day"/> in the per-day table, as read.</summary>
    private static string[] Row(string html, DateTime day)
    {
        var row = RowPattern().Matches(html).Single(m => m.Groups["day"].Value == day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return [.. new[] { "count", "first", "sla" }.Select(cell => WebUtility.HtmlDecode(row.Groups[cell].Value))];
    }

    [GeneratedRegex("""<tr data-day="(?<day>[0-9-]+)">\s*<th scope="row">[0-9-]+</th>\s*<td>(?<count>\d+)</td>\s*<td class="first-response">(?<first>[^<]*)</td>\s*<td class="sla">(?<sla>[^<]*)</td>""")]
    private static partial Regex RowPattern();
}

public sealed class DashboardDayFigureTestsOnSqlite(SqliteApp app) : DashboardDayFigureTests(app), IClassFixture<SqliteApp>;

public sealed class DashboardDayFigureTestsOnPostgres(PostgresApp app) : DashboardDayFigureTests(app), IClassFixture<PostgresApp>;
