using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Sla;

/// <summary>
/// SLA compliance for <c>/stats/overview</c>: of the targets decided (met in time or missed), the
/// share met; and the open tickets past a deadline. Indexed counts (sla_*_met, sla_state).
/// </summary>
public sealed record SlaStats(double? FirstResponseMetPct, double? ResolutionMetPct, int BreachedOpen)
{
    public static async Task<SlaStats> ComputeAsync(AppDbContext db, CancellationToken ct)
    {
        // Five indexed counts in one statement (one round trip): each a scalar subquery, selected
        // once from any one ticket. No ticket at all: no row, and every count is zero.
        var counts = await db.Tickets.AsNoTracking().Select(_ => new
        {
            FirstMet = db.Tickets.Count(t => t.SlaFirstResponseMet == true),
            FirstMissed = db.Tickets.Count(t => t.SlaFirstResponseMet == false),
            ResolutionMet = db.Tickets.Count(t => t.SlaResolutionMet == true),
            ResolutionMissed = db.Tickets.Count(t => t.SlaResolutionMet == false),
            BreachedOpen = db.Tickets.Count(t => t.SlaState == SlaState.Breached
                && (t.Status == TicketStatus.Pending || t.Status == TicketStatus.InProgress)),
        }).FirstOrDefaultAsync(ct);
        return counts is null
            ? new SlaStats(null, null, 0)
            : new SlaStats(Pct(counts.FirstMet, counts.FirstMissed), Pct(counts.ResolutionMet, counts.ResolutionMissed), counts.BreachedOpen);
    }

    private static double? Pct(int met, int missed) => met + missed == 0 ? null : Math.Round(100.0 * met / (met + missed), 1);
}
