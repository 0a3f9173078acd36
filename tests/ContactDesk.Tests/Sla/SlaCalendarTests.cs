using ContactDesk.Hosting;
using ContactDesk.Sla;
using NodaTime;
using NodaTime.Text;

namespace ContactDesk.Tests.Sla;

/// <summary>
/// Business-time arithmetic, pure (no app, no database). Each case names the policy, the start, the
/// business minutes and the deadline expected, in UTC.
/// </summary>
public sealed class SlaCalendarTests
{
    private static readonly IReadOnlyList<string>[] NineToFive = [["09:00", "17:00"]];
    private static readonly IReadOnlyList<string>[] Lunch = [["09:00", "12:00"], ["13:00", "17:00"]];

    /// <summary>The policies the cases use, by name.</summary>
    private static readonly Dictionary<string, SlaPolicy> Policies = new()
    {
        ["utc 9-17"] = Policy("UTC", weekdays: NineToFive),
        ["berlin lunch + holidays"] = Policy("Europe/Berlin", weekdays: Lunch, holidays: ["2026-12-24", "2026-12-25"]),
        ["berlin sunday 01-04"] = Policy("Europe/Berlin", sunday: [["01:00", "04:00"]]),
        ["berlin sunday 02:00-02:30 + 05-06"] = Policy("Europe/Berlin", sunday: [["02:00", "02:30"], ["05:00", "06:00"]]),
        ["new york sunday 01-04"] = Policy("America/New_York", sunday: [["01:00", "04:00"]]),
        ["new york sunday 01:15-01:45"] = Policy("America/New_York", sunday: [["01:15", "01:45"]]),
        ["tokyo 9-18"] = Policy("Asia/Tokyo", weekdays: [["09:00", "18:00"]]),
        ["los angeles 9-17"] = Policy("America/Los_Angeles", weekdays: NineToFive),
        ["kolkata 9-17"] = Policy("Asia/Kolkata", weekdays: NineToFive),
    };

    public static TheoryData<string, string, string, int, string> AddCases => new()
    {
        // case, policy, from (UTC), business minutes, expected deadline (UTC)
        { "inside hours", "utc 9-17", "2026-11-30T10:00:00Z", 60, "2026-11-30T11:00:00Z" },
        { "before opening starts at opening", "utc 9-17", "2026-11-30T07:00:00Z", 30, "2026-11-30T09:30:00Z" },
        { "past closing runs on overnight", "utc 9-17", "2026-11-30T16:30:00Z", 60, "2026-12-01T09:30:00Z" },
        { "a whole day ends at closing, not the next opening", "utc 9-17", "2026-12-05T12:00:00Z", 480, "2026-12-07T17:00:00Z" },
        { "friday afternoon runs over the weekend", "utc 9-17", "2026-12-04T16:00:00Z", 120, "2026-12-07T10:00:00Z" },
        { "zero minutes at night is the next opening", "utc 9-17", "2026-12-05T03:00:00Z", 0, "2026-12-07T09:00:00Z" },
        { "lunch break is skipped", "berlin lunch + holidays", "2026-11-30T10:30:00Z", 60, "2026-11-30T12:30:00Z" },
        { "two holidays are skipped", "berlin lunch + holidays", "2026-12-23T15:00:00Z", 120, "2026-12-28T09:00:00Z" },
        { "berlin spring-forward: 01:00-04:00 holds two hours", "berlin sunday 01-04", "2026-03-28T12:00:00Z", 120, "2026-03-29T02:00:00Z" },
        { "berlin spring-forward: the 121st minute is a week later, in summer time", "berlin sunday 01-04", "2026-03-28T12:00:00Z", 121, "2026-04-04T23:01:00Z" },
        { "berlin fall-back: 01:00-04:00 holds four hours", "berlin sunday 01-04", "2026-10-24T12:00:00Z", 240, "2026-10-25T03:00:00Z" },
        { "berlin spring-forward: a window in the skipped hour is empty", "berlin sunday 02:00-02:30 + 05-06", "2026-03-28T12:00:00Z", 30, "2026-03-29T03:30:00Z" },
        { "berlin fall-back: a window in the repeated hour comes twice", "berlin sunday 02:00-02:30 + 05-06", "2026-10-24T12:00:00Z", 45, "2026-10-25T01:15:00Z" },
        { "new york spring-forward: 01:00-04:00 holds two hours", "new york sunday 01-04", "2026-03-07T12:00:00Z", 150, "2026-03-15T05:30:00Z" },
        { "new york fall-back: 01:00-04:00 holds four hours", "new york sunday 01-04", "2026-10-31T12:00:00Z", 230, "2026-11-01T08:50:00Z" },
        { "new york fall-back: 01:15-01:45 comes twice", "new york sunday 01:15-01:45", "2026-10-31T12:00:00Z", 40, "2026-11-01T06:25:00Z" },
        { "east of utc: tokyo evening runs into the next morning", "tokyo 9-18", "2026-11-30T08:00:00Z", 120, "2026-12-01T01:00:00Z" },
        { "west of utc: los angeles friday into monday", "los angeles 9-17", "2026-12-04T23:30:00Z", 120, "2026-12-07T17:30:00Z" },
        { "half-hour offset: kolkata", "kolkata 9-17", "2026-11-30T03:00:00Z", 60, "2026-11-30T04:30:00Z" },
    };

    [Theory]
    [MemberData(nameof(AddCases))]
    public void Adds_business_minutes(string name, string policy, string from, int minutes, string expected)
    {
        var deadline = Policies[policy].Add(At(from), Duration.FromMinutes(minutes));
        Assert.True(deadline == At(expected), $"{name}: expected {expected}, got {deadline}");
    }

    public static TheoryData<string, string, string, string, int> BetweenCases => new()
    {
        // case, policy, from (UTC), to (UTC), business minutes expected
        { "over a weekend", "utc 9-17", "2026-12-04T16:00:00Z", "2026-12-07T10:00:00Z", 120 },
        { "backwards is nothing", "utc 9-17", "2026-12-07T10:00:00Z", "2026-12-04T16:00:00Z", 0 },
        { "around lunch", "berlin lunch + holidays", "2026-11-30T10:00:00Z", "2026-11-30T13:00:00Z", 120 },
        { "over two holidays", "berlin lunch + holidays", "2026-12-23T15:00:00Z", "2026-12-28T09:00:00Z", 120 },
        { "berlin fall-back night", "berlin sunday 01-04", "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", 240 },
        { "berlin spring-forward night", "berlin sunday 01-04", "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 120 },
        { "new york fall-back, repeated window", "new york sunday 01:15-01:45", "2026-10-31T12:00:00Z", "2026-11-01T12:00:00Z", 60 },
    };

    [Theory]
    [MemberData(nameof(BetweenCases))]
    public void Counts_business_minutes_between(string name, string policy, string from, string to, int expected)
    {
        var minutes = Policies[policy].Between(At(from), At(to)).TotalMinutes;
        Assert.True(minutes == expected, $"{name}: expected {expected} minutes, got {minutes}");
    }

    [Theory]
    [MemberData(nameof(AddCases))]
    public void Adding_then_counting_gives_the_minutes_back(string name, string policy, string from, int minutes, string expected)
    {
        _ = expected;
        var start = At(from);
        var deadline = Policies[policy].Add(start, Duration.FromMinutes(minutes))!.Value;
        Assert.True(Policies[policy].Between(start, deadline) == Duration.FromMinutes(minutes), name);
    }

    public static TheoryData<string, SlaSettings, string> InvalidCases => new()
    {
        { "unknown time zone", SlaSettings.Default with { TimeZone = "Mars/Olympus" }, "time_zone" },
        { "bad time", SlaSettings.Default with { BusinessHours = Hours(weekdays: [["9:00", "17:00"]]) }, "business_hours.mon[0]" },
        { "24:00 is no time", SlaSettings.Default with { BusinessHours = Hours(weekdays: [["09:00", "24:00"]]) }, "business_hours.mon[0]" },
        { "reversed window", SlaSettings.Default with { BusinessHours = Hours(weekdays: [["17:00", "09:00"]]) }, "business_hours.mon[0]" },
        { "overlapping windows", SlaSettings.Default with { BusinessHours = Hours(weekdays: [["09:00", "13:00"], ["12:00", "17:00"]]) }, "business_hours.mon" },
        { "no business hours at all", SlaSettings.Default with { BusinessHours = Hours() }, "business_hours" },
        { "bad holiday", SlaSettings.Default with { Holidays = ["2026-13-01"] }, "holidays[0]" },
        { "negative target", SlaSettings.Default with { Targets = SlaSettings.Default.Targets! with { High = new(-1, 60) } }, "targets.high.first_response_minutes" },
        { "missing target", SlaSettings.Default with { Targets = SlaSettings.Default.Targets! with { Low = null } }, "targets.low" },
        { "negative warning", SlaSettings.Default with { WarnBeforeMinutes = -5 }, "warn_before_minutes" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Refuses_an_invalid_policy_naming_the_field(string name, SlaSettings settings, string field)
    {
        var errors = new FieldErrors();
        Assert.Null(SlaValidator.Validate(settings, errors));
        Assert.True(errors.ToDictionary().ContainsKey(field), $"{name}: errors {string.Join(", ", errors.ToDictionary().Keys)}");
    }

    [Fact]
    public void The_default_policy_is_valid()
    {
        var errors = new FieldErrors();
        Assert.NotNull(SlaValidator.Validate(SlaSettings.Default, errors));
    }

    private static SlaPolicy Policy(string zone, IReadOnlyList<string>[]? weekdays = null, IReadOnlyList<string>[]? sunday = null, string[]? holidays = null)
    {
        var errors = new FieldErrors();
        var policy = SlaValidator.Validate(
            SlaSettings.Default with { Enabled = true, TimeZone = zone, BusinessHours = Hours(weekdays, sunday), Holidays = holidays ?? [] }, errors);
        Assert.False(errors.Any, string.Join(", ", errors.ToDictionary().Keys));
        return policy!;
    }

    private static BusinessHours Hours(IReadOnlyList<string>[]? weekdays = null, IReadOnlyList<string>[]? sunday = null) =>
        new(weekdays ?? [], weekdays ?? [], weekdays ?? [], weekdays ?? [], weekdays ?? [], [], sunday ?? []);

    private static Instant At(string text) => InstantPattern.General.Parse(text).Value;
}
