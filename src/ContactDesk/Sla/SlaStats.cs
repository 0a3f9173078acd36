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
        var tickets = db.Tickets.AsNoTracking();
        var firstMet = await tickets.CountAsync(t => t.SlaFirstResponseMet == true, ct);
        var firstMissed = await tickets.CountAsync(t => t.SlaFirstResponseMet == false, ct);
        var resolutionMet = await tickets.CountAsync(t => t.SlaResolutionMet == true, ct);
        var resolutionMissed = await tickets.CountAsync(t => t.SlaResolutionMet == false, ct);
        var breachedOpen = await tickets.CountAsync(t => t.SlaState == SlaState.Breached
            && (t.Status == TicketStatus.Pending || t.Status == TicketStatus.InProgress), ct);
        return new SlaStats(Pct(firstMet, firstMissed), Pct(resolutionMet, resolutionMissed), breachedOpen);
    }

    private static double? Pct(int met, int missed) => met + missed == 0 ? null : Math.Round(100.0 * met / (met + missed), 1);
}
