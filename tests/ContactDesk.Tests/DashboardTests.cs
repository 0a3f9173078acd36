using System.Globalization;
using ContactDesk.Tests.Infrastructure;
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
        await Expect(todaysBar.Locator("title")).ToHaveTextAsync($"{today:yyyy-MM-dd}: {submitted.Length}");
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
