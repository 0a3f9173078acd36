using System.Net;
using System.Net.Http.Json;
using ContactDesk.Moderation;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// The queue's <c>total</c> and the statistics come from tallies kept by database triggers, not
/// from counting tickets: after every kind of change, and across compactions, they must equal what
/// counting the tickets gives.
/// </summary>
public abstract class TicketCountTests(ContactDeskApp app)
{
    private static readonly string[] Filters =
    [
        "", "status=pending", "status=in_progress", "status=resolved", "status=archived", "status=pending,in_progress",
        "status=pending,resolved,archived", "category=bug", "category=bug,data", "assigned_to=none", "assigned_to=me",
        "status=pending&category=general&assigned_to=none", "status=resolved,in_progress&assigned_to=me&category=feature,bug",
    ];

    [Fact]
    public async Task Totals_and_stats_equal_counted_tickets_after_every_kind_of_change_and_after_compaction()
    {
        var me = await app.CreateUserAsync("moderator");
        var other = await app.CreateUserAsync("moderator");
        var admin = await app.CreateUserAsync("admin");
        var ids = new List<Guid>();
        foreach (var category in new[] { "general", "bug", "bug", "feature", "data", "account", "general", "other", "abuse", "bug" })
        {
            ids.Add((await app.SubmitAsync(category: category)).IdOf());
        }
        await AssertCountsAsync(me);

        await me.Client.ActOkAsync(ids[0], "assign-to-me");
        await me.Client.ActOkAsync(ids[1], "mark-resolved");
        await other.Client.ActOkAsync(ids[2], "assign-to-me");
        await other.Client.ActOkAsync(ids[2], "mark-resolved");
        await me.Client.ActOkAsync(ids[3], "archive");
        await me.Client.ActOkAsync(ids[4], "mark-resolved");
        await me.Client.ActOkAsync(ids[4], "archive");
        await AssertCountsAsync(me);

        await me.Client.ActOkAsync(ids[3], "restore");
        await me.Client.ActOkAsync(ids[4], "restore");
        (await me.Client.PatchJsonAsync(ids[1], new { status = "pending" })).EnsureSuccessStatusCode(); // reopen
        (await me.Client.PatchJsonAsync(ids[5], new { category = "bug", assigned_to_id = other.Id })).EnsureSuccessStatusCode();
        (await me.Client.PatchJsonAsync(ids[0], new { assigned_to_id = (Guid?)null })).EnsureSuccessStatusCode();
        (await me.Client.PostAsJsonAsync($"{Contact}/bulk", new { ids = ids.Skip(6).ToArray(), action = "resolve" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{Contact}/{ids[9]}")).StatusCode);
        await AssertCountsAsync(me);

        var folded = await app.QueryAsync(db => db.CompactTalliesAsync(CancellationToken.None));
        Assert.True(folded > 0);
        var cells = await app.QueryAsync(db => db.TicketTallies.Select(t => new { t.Status, t.Category, t.AssignedToId }).ToListAsync());
        Assert.Equal(cells.Count, cells.Distinct().Count());
        await AssertCountsAsync(me);
    }

    [Fact]
    public async Task Compacting_while_tickets_are_submitted_and_changed_loses_no_change()
    {
        var me = await app.CreateUserAsync("moderator");
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await app.SubmitAsync(category: "data")).IdOf());
        }
        using var stop = new CancellationTokenSource();
        var compactions = 0;
        var compacting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await app.QueryAsync(db => db.CompactTalliesAsync(CancellationToken.None));
                compactions++;
            }
        });
        var submitting = Task.WhenAll(Enumerable.Range(0, 30).Select(i => app.SubmitAsync(category: i % 2 == 0 ? "bug" : "other")));
        foreach (var id in ids)
        {
            await me.Client.ActOkAsync(id, "mark-resolved");
        }
        await submitting;
        await stop.CancelAsync();
        await compacting;

        Assert.True(compactions > 0);
        await AssertCountsAsync(me);
    }

    /// <summary>Every filter's total and every statistic, against COUNT(*) over the tickets.</summary>
    private async Task AssertCountsAsync(TestUser moderator)
    {
        foreach (var query in Filters)
        {
            var page = await moderator.Client.GetObjectAsync($"{Contact}/?{query}&page_size=1");
            var counted = await app.QueryAsync(async db =>
            {
                var filter = TicketFilter.Parse(ParseQuery(query), moderator.Id, new Hosting.FieldErrors())!;
                return await (await filter.WhereAsync(db, forCounting: true, CancellationToken.None)).CountAsync();
            });
            Assert.True(counted == (int)page["total"]!, $"'{query}': total {page["total"]}, counted {counted}");
        }

        var stats = await moderator.Client.GetObjectAsync($"{Contact}/stats/overview");
        var expected = await app.QueryAsync(async db => new
        {
            Total = await db.Tickets.CountAsync(),
            ByStatus = await db.Tickets.GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(),
            ByCategory = await db.Tickets.GroupBy(t => t.Category).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(),
            UnassignedOpen = await db.Tickets.CountAsync(t => t.AssignedToId == null
                && (t.Status == Tickets.TicketStatus.Pending || t.Status == Tickets.TicketStatus.InProgress)),
            Resolved = await db.Tickets.Where(t => t.ResolvedAt != null).Select(t => new { t.CreatedAt, t.ResolvedAt }).ToListAsync(),
            Created = await db.Tickets.Select(t => t.CreatedAt).ToListAsync(),
        });
        var now = DateTime.UtcNow; // read just after the request: every ticket here is seconds old
        Assert.Equal(expected.Created.Count(c => c >= now.Date), (int)stats["created_today"]!);
        Assert.Equal(expected.Created.Count(c => c >= now.AddDays(-7)), (int)stats["created_last_7_days"]!);
        Assert.Equal(expected.Total, (int)stats["total"]!);
        foreach (var s in expected.ByStatus)
        {
            Assert.Equal(s.Count, (int)stats["by_status"]![Tickets.WireNames.Of(s.Key)]!);
        }
        Assert.Equal(expected.Total, stats["by_status"]!.AsObject().Sum(p => (int)p.Value!));
        foreach (var c in expected.ByCategory)
        {
            Assert.Equal(c.Count, (int)stats["by_category"]![Tickets.WireNames.Of(c.Key)]!);
        }
        Assert.Equal(expected.Total, stats["by_category"]!.AsObject().Sum(p => (int)p.Value!));
        Assert.Equal(expected.UnassignedOpen, (int)stats["unassigned_open"]!);
        if (expected.Resolved.Count == 0)
        {
            Assert.Null(stats["avg_resolution_hours"]);
        }
        else
        {
            var hours = expected.Resolved.Average(r => (r.ResolvedAt!.Value - r.CreatedAt).TotalHours);
            Assert.True(Math.Abs(hours - (double)stats["avg_resolution_hours"]!) <= 0.01, $"avg {stats["avg_resolution_hours"]}, counted {hours}");
        }
    }

    private static TicketQuery ParseQuery(string query)
    {
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return new TicketQuery
        {
            Status = values.GetValueOrDefault("status"),
            Category = values.GetValueOrDefault("category"),
            AssignedTo = values.GetValueOrDefault("assigned_to"),
        };
    }
}

public sealed class TicketCountTestsOnSqlite(SqliteApp app) : TicketCountTests(app), IClassFixture<SqliteApp>;

public sealed class TicketCountTestsOnPostgres(PostgresApp app) : TicketCountTests(app), IClassFixture<PostgresApp>;
