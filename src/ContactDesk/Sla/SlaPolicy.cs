using ContactDesk.Tickets;
using NodaTime;
using NodaTime.TimeZones;

namespace ContactDesk.Sla;

/// <summary>A business-hours window within one local day: [start, end).</summary>
public readonly record struct BusinessWindow(LocalTime Start, LocalTime End);

/// <summary>
/// A validated SLA policy and its business-time arithmetic. Business time is real elapsed time
/// while a window is open in <see cref="Zone"/>; NodaTime maps each day's local windows to instants,
/// so daylight-saving changes are the time zone database's, never an offset computed here.
/// </summary>
public sealed class SlaPolicy(
    bool enabled,
    DateTimeZone zone,
    IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<BusinessWindow>> windows,
    IReadOnlySet<LocalDate> holidays,
    IReadOnlyDictionary<TicketPriority, SlaTarget> targets,
    Duration warnBefore)
{
    /// <summary>How far ahead a deadline is looked for: with at least one window a week, years are never needed.</summary>
    private const int MaxDays = 5 * 366;

    /// <summary>
    /// A local time in the skipped hour of a spring-forward night maps to the end of the gap, so a
    /// window inside that hour is empty that day. A time in the repeated hour of a fall-back night
    /// maps both ways (see <see cref="Intervals"/>): a window covers every instant at which the wall
    /// clock shows a time inside it.
    /// </summary>
    private static readonly ZoneLocalMappingResolver Earlier =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);
    private static readonly ZoneLocalMappingResolver Later =
        Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnStartOfIntervalAfter);

    public bool Enabled => enabled;
    public DateTimeZone Zone => zone;
    public Duration WarnBefore => warnBefore;

    public SlaTarget TargetFor(TicketPriority priority) => targets[priority];

    /// <summary>The instant <paramref name="businessTime"/> of business time after <paramref name="from"/>; null when there is none within years.</summary>
    public Instant? Add(Instant from, Duration businessTime)
    {
        var remaining = businessTime;
        var day = from.InZone(zone).Date;
        for (var i = 0; i < MaxDays; i++, day = day.PlusDays(1))
        {
            foreach (var (start, end) in Intervals(day))
            {
                if (end <= from)
                {
                    continue;
                }
                var open = start < from ? from : start;
                var available = end - open;
                if (remaining <= available)
                {
                    return open + remaining;
                }
                remaining -= available;
            }
        }
        return null;
    }

    /// <summary>The first instant at or after <paramref name="at"/> inside business hours.</summary>
    public Instant? NextBusinessInstant(Instant at) => Add(at, Duration.Zero);

    /// <summary>Business time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public Duration Between(Instant from, Instant to)
    {
        var total = Duration.Zero;
        if (to <= from)
        {
            return total;
        }
        var last = to.InZone(zone).Date;
        for (var day = from.InZone(zone).Date; day <= last; day = day.PlusDays(1))
        {
            foreach (var (start, end) in Intervals(day))
            {
                var a = start < from ? from : start;
                var b = end > to ? to : end;
                if (b > a)
                {
                    total += b - a;
                }
            }
        }
        return total;
    }

    /// <summary>The day's windows as instants, in order and merged where they touch; none on a holiday.</summary>
    private List<(Instant Start, Instant End)> Intervals(LocalDate day)
    {
        var intervals = new List<(Instant Start, Instant End)>();
        if (holidays.Contains(day) || !windows.TryGetValue(day.DayOfWeek, out var list))
        {
            return intervals;
        }
        foreach (var w in list)
        {
            // Both readings of the repeated hour; on every other day the two are the same interval.
            foreach (var resolver in new[] { Earlier, Later })
            {
                var start = zone.ResolveLocal(day + w.Start, resolver).ToInstant();
                var end = zone.ResolveLocal(day + w.End, resolver).ToInstant();
                if (end > start)
                {
                    intervals.Add((start, end));
                }
            }
        }
        intervals.Sort();
        var merged = new List<(Instant Start, Instant End)>(intervals.Count);
        foreach (var (start, end) in intervals)
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, end > merged[^1].End ? end : merged[^1].End);
            }
            else
            {
                merged.Add((start, end));
            }
        }
        return merged;
    }
}
