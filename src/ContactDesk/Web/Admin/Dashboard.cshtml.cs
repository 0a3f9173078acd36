using ContactDesk.Data;
using ContactDesk.Moderation;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Web.Admin;

/// <summary>The stats overview (the API's own computation) and tickets per day for the last 30 days.</summary>
public sealed class DashboardModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public const int Days = 30;

    public StatsOverview Stats { get; private set; } = null!;

    /// <summary>One entry per day, oldest first, including days without tickets.</summary>
    public IReadOnlyList<(DateOnly Day, int Count)> PerDay { get; private set; } = [];

    /// <summary>An average duration for people: under an hour in minutes ("42 min"), else in hours ("3.5 h").</summary>
    public static string Duration(double? hours) => hours switch
    {
        null => "—",
        < 1 / 60.0 => "< 1 min",
        < 59.5 / 60 => $"{Math.Round(hours.Value * 60, MidpointRounding.AwayFromZero):0} min",
        _ => hours.Value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " h",
    };

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Stats = await StatsEndpoint.ComputeAsync(db, now, ct);

        var first = now.Date.AddDays(-(Days - 1));
        var counts = await db.Tickets.AsNoTracking()
            .Where(t => t.CreatedAt >= first)
            .GroupBy(t => t.CreatedAt.Date)
            .Select(g => new { Day = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        PerDay = [.. Enumerable.Range(0, Days).Select(i =>
        {
            var day = first.AddDays(i);
            return (DateOnly.FromDateTime(day), counts.Where(c => c.Day.Date == day).Sum(c => c.Count));
        })];
    }
}
