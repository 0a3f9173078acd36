using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Web.Admin;

/// <summary>
/// One day of the per-day chart: tickets created that day, their average first-response time
/// (answered ones only) and their SLA compliance: of the tickets whose targets are decided (one
/// missed, or both met), the share with both met.
/// </summary>
public sealed record DayFigures(DateOnly Day, int Count, double? AvgFirstResponseHours, double? SlaMetPct)
{
    /// <summary>
    /// The figures of the <paramref name="days"/> days up to <paramref name="now"/>, oldest first,
    /// including days without tickets. Reads only the window's tickets, through the created_at
    /// index, streamed and summed here: SQLite cannot subtract its text timestamps in SQL.
    /// </summary>
    public static async Task<IReadOnlyList<DayFigures>> ComputeAsync(AppDbContext db, DateTime now, int days, CancellationToken ct)
    {
        var first = now.Date.AddDays(-(days - 1));
        var sums = new Sums[days];
        var rows = db.Tickets.AsNoTracking()
            .Where(t => t.CreatedAt >= first)
            .Select(t => new { t.CreatedAt, t.FirstResponseAt, t.SlaFirstResponseMet, t.SlaResolutionMet })
            .AsAsyncEnumerable();
        await foreach (var t in rows.WithCancellation(ct))
        {
            var i = (int)(t.CreatedAt.Date - first).TotalDays;
            if (i < 0 || i >= days)
            {
                continue; // created "in the future" by a skewed clock
            }
            ref var s = ref sums[i];
            s.Count++;
            if (t.FirstResponseAt is { } answered)
            {
                s.Answered++;
                s.FirstResponseSeconds += Math.Max(0, (answered - t.CreatedAt).TotalSeconds);
            }
            if (t.SlaFirstResponseMet == false || t.SlaResolutionMet == false)
            {
                s.SlaMissed++;
            }
            else if (t.SlaFirstResponseMet == true && t.SlaResolutionMet == true)
            {
                s.SlaMet++;
            }
        }
        return [.. sums.Select((s, i) => new DayFigures(
            DateOnly.FromDateTime(first.AddDays(i)),
            s.Count,
            s.Answered > 0 ? s.FirstResponseSeconds / s.Answered / 3600.0 : null,
            s.SlaMet + s.SlaMissed > 0 ? Math.Round(100.0 * s.SlaMet / (s.SlaMet + s.SlaMissed), 1) : null))];
    }

    private struct Sums
    {
        public int Count, Answered, SlaMet, SlaMissed;
        public double FirstResponseSeconds;
    }
}
