using ContactDesk.Data;
using ContactDesk.Moderation;
using ContactDesk.Sla;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>The stats overview (the API's own computation) and, per day for the last 30 days, tickets, first-response time and SLA compliance.</summary>
public sealed class DashboardModel(AppDbContext db, TimeProvider clock, SlaPolicyStore slaPolicies) : PageModel
{
    public const int Days = 30;

    public StatsOverview Stats { get; private set; } = null!;

    /// <summary>One entry per day, oldest first, including days without tickets.</summary>
    public IReadOnlyList<DayFigures> PerDay { get; private set; } = [];

    /// <summary>The SLA policy is enabled: the per-day table shows compliance, else "SLA off".</summary>
    public bool SlaOn { get; private set; }

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

        PerDay = await DayFigures.ComputeAsync(db, now, Days, ct);
        var (_, policy) = await slaPolicies.GetAsync(db, ct);
        SlaOn = policy is { Enabled: true };
    }
}
