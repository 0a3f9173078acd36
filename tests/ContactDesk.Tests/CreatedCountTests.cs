using System.Net;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Tests.Sla;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// The statistics' <c>created_today</c> (since midnight UTC) and <c>created_last_7_days</c> (since
/// this moment seven days ago), with tickets submitted as a controllable clock moves: on each side
/// of midnight and of the week's start, deleted, and across a compaction of the per-day rows that
/// PostgreSQL keeps for them.
/// </summary>
public abstract class CreatedCountTests(ISlaApp sla)
{
    private ContactDeskApp App => sla.App;

    [Fact]
    public async Task Created_today_and_in_the_last_seven_days_follow_the_clock_deletions_and_compaction()
    {
        var admin = await App.CreateUserAsync("admin"); // at the clock's start, so its token is valid throughout
        var start = sla.Clock.GetUtcNow();
        var now = start.Date.AddDays(8).AddHours(16);   // "now" for the statistics: day 8, 16:00 UTC
        var weekStart = now.AddDays(-7);                // day 1, 16:00
        DateTimeOffset[] createdAt =
        [
            start,                                      // day 0: out
            weekStart.AddHours(-4),                     // day 1 before the week starts: out
            weekStart,                                  // the week's first moment: in
            weekStart.AddHours(7).AddMinutes(59),       // day 1, 23:59: in
            start.Date.AddDays(3).AddHours(9),          // day 3: in
            now.Date.AddMinutes(-1),                    // day 7, 23:59: in, not today
            now.Date,                                   // midnight: today
            now.AddMinutes(-1),                         // today
        ];
        var ids = new List<Guid>();
        foreach (var moment in createdAt)
        {
            sla.Clock.SetUtcNow(moment);
            ids.Add((await App.SubmitAsync(subject: "Counted by day")).IdOf());
        }
        sla.Clock.SetUtcNow(now);

        Assert.Equal((2, 6), await StatsAsync(admin));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{Contact}/{ids[^1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{Contact}/{ids[2]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{Contact}/{ids[1]}")).StatusCode);
        Assert.Equal((1, 4), await StatsAsync(admin));

        Assert.True(await App.QueryAsync(db => db.CompactTalliesAsync(CancellationToken.None)) > 0);
        Assert.Equal((1, 4), await StatsAsync(admin));

        sla.Clock.SetUtcNow(now.Date.AddDays(1).AddHours(1)); // day 9, 01:00: the week now starts on day 2 at 01:00
        Assert.Equal((0, 3), await StatsAsync(admin));
    }

    private static async Task<(int Today, int Week)> StatsAsync(TestUser user)
    {
        var stats = await user.Client.GetObjectAsync($"{Contact}/stats/overview");
        return ((int)stats["created_today"]!, (int)stats["created_last_7_days"]!);
    }
}

public sealed class CreatedCountTestsOnSqlite(SqliteSlaApp app) : CreatedCountTests(app), IClassFixture<SqliteSlaApp>;

public sealed class CreatedCountTestsOnPostgres(PostgresSlaApp app) : CreatedCountTests(app), IClassFixture<PostgresSlaApp>;
