using ContactDesk.Tickets;
using System.Globalization;
using ContactDesk.Hosting;
using NodaTime;
using NodaTime.Text;

namespace ContactDesk.Sla;

/// <summary>
/// The one validator of an SLA policy, shared by the API and the admin page: field errors in the
/// contract's shape, or the policy ready to compute with.
/// </summary>
public static class SlaValidator
{
    private const int MaxMinutes = 1_000_000;
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    public static SlaPolicy? Validate(SlaSettings settings, FieldErrors errors)
    {
        var zone = settings.TimeZone is { Length: > 0 } name ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(name) : null;
        if (zone is null)
        {
            errors.Add("time_zone", "Must be an IANA time zone, such as Europe/Berlin.");
        }
        var windows = new Dictionary<IsoDayOfWeek, IReadOnlyList<BusinessWindow>>();
        if (settings.BusinessHours is not { } hours)
        {
            errors.Add("business_hours", "This field is required.");
        }
        else
        {
            foreach (var (day, key, list) in Days(hours))
            {
                windows[day] = Windows($"business_hours.{key}", list ?? [], errors);
            }
            if (!errors.Any && windows.Values.All(w => w.Count == 0))
            {
                errors.Add("business_hours", "At least one day needs business hours.");
            }
        }
        var holidays = new HashSet<LocalDate>();
        foreach (var (text, i) in (settings.Holidays ?? []).Select((h, i) => (h, i)))
        {
            if (text is not null && Date.Parse(text) is { Success: true } date && text.Length == 10)
            {
                holidays.Add(date.Value);
            }
            else
            {
                errors.Add($"holidays[{i}]", "Must be a date as yyyy-MM-dd.");
            }
        }
        var targets = new Dictionary<TicketPriority, SlaTarget>();
        if (settings.Targets is not { } t)
        {
            errors.Add("targets", "This field is required.");
        }
        else
        {
            foreach (var (priority, target) in new[] { (TicketPriority.Urgent, t.Urgent), (TicketPriority.High, t.High), (TicketPriority.Normal, t.Normal), (TicketPriority.Low, t.Low) })
            {
                var field = $"targets.{priority.ToString().ToLowerInvariant()}";
                if (target is null)
                {
                    errors.Add(field, "This field is required.");
                    continue;
                }
                Minutes($"{field}.first_response_minutes", target.FirstResponseMinutes, errors, min: 1);
                Minutes($"{field}.resolution_minutes", target.ResolutionMinutes, errors, min: 1);
                targets[priority] = target;
            }
        }
        Minutes("warn_before_minutes", settings.WarnBeforeMinutes, errors, min: 0);
        return errors.Any ? null : new SlaPolicy(settings.Enabled, zone!, windows, holidays, targets, Duration.FromMinutes(settings.WarnBeforeMinutes));
    }

    private static IEnumerable<(IsoDayOfWeek, string, IReadOnlyList<IReadOnlyList<string>>?)> Days(BusinessHours h) =>
    [
        (IsoDayOfWeek.Monday, "mon", h.Mon), (IsoDayOfWeek.Tuesday, "tue", h.Tue), (IsoDayOfWeek.Wednesday, "wed", h.Wed),
        (IsoDayOfWeek.Thursday, "thu", h.Thu), (IsoDayOfWeek.Friday, "fri", h.Fri), (IsoDayOfWeek.Saturday, "sat", h.Sat),
        (IsoDayOfWeek.Sunday, "sun", h.Sun),
    ];

    /// <summary>A day's windows: each a start before its end ("24:00" is not a time: a day ends at 23:59), sorted, none overlapping.</summary>
    private static List<BusinessWindow> Windows(string field, IReadOnlyList<IReadOnlyList<string>> list, FieldErrors errors)
    {
        var windows = new List<BusinessWindow>();
        for (var i = 0; i < list.Count; i++)
        {
            var pair = list[i];
            if (pair is not { Count: 2 } || !TryTime(pair[0], out var start) || !TryTime(pair[1], out var end))
            {
                errors.Add($"{field}[{i}]", "Must be a pair of times as [\"HH:mm\", \"HH:mm\"].");
                continue;
            }
            if (end <= start)
            {
                errors.Add($"{field}[{i}]", "The window must end after it starts.");
                continue;
            }
            windows.Add(new BusinessWindow(start, end));
        }
        windows.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < windows.Count; i++)
        {
            if (windows[i].Start < windows[i - 1].End)
            {
                errors.Add(field, "Windows must not overlap.");
                break;
            }
        }
        return windows;
    }

    private static bool TryTime(string? text, out LocalTime time)
    {
        var parsed = text is { Length: 5 } ? Time.Parse(text) : null;
        time = parsed is { Success: true } ? parsed.Value : default;
        return parsed is { Success: true };
    }

    private static void Minutes(string field, int value, FieldErrors errors, int min)
    {
        if (value < min || value > MaxMinutes)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"Must be a whole number of minutes from {min} to {MaxMinutes}."));
        }
    }
}
