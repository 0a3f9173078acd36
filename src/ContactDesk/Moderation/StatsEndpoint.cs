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
    double? AvgResolutionHours)
{
    /// <summary>SLA compliance (contract section 10).</summary>
    public Sla.SlaStats? Sla { get; init; }
}

/// <summary><c>GET /stats/overview</c>: counts for the dashboard.</summary>
public static class StatsEndpoint
{
    public static void MapStats(this RouteGroupBuilder group) =>
        group.MapGet("/stats/overview", Overview).WithName("StatsOverview").WithSummary("Counts by status and category, and more");

    public static async Task<StatsOverview> ComputeAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        // Everything but the two date counts comes from the tallies; those two from the tickets per
        // day on PostgreSQL, and from the created_at index on SQLite. One pooled connection for the
        // three queries (see ModerationEndpoints.ReadPageAsync).
        await db.Database.OpenConnectionAsync(ct);
        var cells = await TicketCounts.CellsAsync(db, ct);
        var (createdToday, createdLastWeek) = await db.CountCreatedAsync(now, ct);
        var resolved = cells.Sum(c => c.Resolved);

        return new StatsOverview(
            cells.Sum(c => c.Tickets),
            Enum.GetValues<TicketStatus>().ToDictionary(WireNames.Of, s => cells.Where(c => c.Status == s).Sum(c => c.Tickets)),
            Enum.GetValues<TicketCategory>().ToDictionary(WireNames.Of, k => cells.Where(c => c.Category == k).Sum(c => c.Tickets)),
            cells.Where(c => c.AssignedToId is null && c.Status is TicketStatus.Pending or TicketStatus.InProgress).Sum(c => c.Tickets),
            createdToday,
            createdLastWeek,
            resolved > 0 ? Math.Round(cells.Sum(c => c.ResolutionSeconds) / resolved / 3600.0, 2) : null)
        {
            Sla = await ContactDesk.Sla.SlaStats.ComputeAsync(db, ct),
        };
    }

    private static Task<StatsOverview> Overview(AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        ComputeAsync(db, clock.GetUtcNow().UtcDateTime, ct);
}
