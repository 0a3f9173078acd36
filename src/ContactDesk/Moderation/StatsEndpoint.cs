using System.Text.Json.Serialization;
using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Moderation;

public sealed record StatsOverview(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByCategory,
    int UnassignedOpen,
    int CreatedToday,
    [property: JsonPropertyName("created_last_7_days")] int CreatedLast7Days,
    double? AvgResolutionHours);

/// <summary><c>GET /stats/overview</c>: counts for the dashboard, each one aggregate query.</summary>
public static class StatsEndpoint
{
    public static void MapStats(this RouteGroupBuilder group) =>
        group.MapGet("/stats/overview", Overview).WithName("StatsOverview").WithSummary("Counts by status and category, and more");

    public static async Task<StatsOverview> ComputeAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var tickets = db.Tickets.AsNoTracking();
        var byStatus = await tickets.GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var byCategory = await tickets.GroupBy(t => t.Category).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var unassignedOpen = await tickets.CountAsync(t => t.AssignedToId == null
            && (t.Status == TicketStatus.Pending || t.Status == TicketStatus.InProgress), ct);
        var today = now.Date;
        var weekAgo = now.AddDays(-7);
        var createdToday = await tickets.CountAsync(t => t.CreatedAt >= today, ct);
        var createdLastWeek = await tickets.CountAsync(t => t.CreatedAt >= weekAgo, ct);
        var avgHours = await db.AverageResolutionHoursAsync(ct);

        return new StatsOverview(
            byStatus.Sum(s => s.Count),
            Enum.GetValues<TicketStatus>().ToDictionary(WireNames.Of, s => byStatus.FirstOrDefault(x => x.Key == s)?.Count ?? 0),
            Enum.GetValues<TicketCategory>().ToDictionary(WireNames.Of, c => byCategory.FirstOrDefault(x => x.Key == c)?.Count ?? 0),
            unassignedOpen,
            createdToday,
            createdLastWeek,
            avgHours is { } hours ? Math.Round(hours, 2) : null);
    }

    private static Task<StatsOverview> Overview(AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        ComputeAsync(db, clock.GetUtcNow().UtcDateTime, ct);
}
