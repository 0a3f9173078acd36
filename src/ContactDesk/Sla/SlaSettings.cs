namespace ContactDesk.Sla;

/// <summary>The contract's SLA policy (<c>GET</c>/<c>PUT /api/v1/admin/sla</c>), as sent and stored.</summary>
/// <param name="TimeZone">IANA name, e.g. <c>Europe/Berlin</c>.</param>
/// <param name="Holidays">Local dates (<c>yyyy-MM-dd</c>) without business hours.</param>
/// <param name="WarnBeforeMinutes">How long before a deadline (in real minutes) the warning comes.</param>
public sealed record SlaSettings(
    bool Enabled,
    string? TimeZone,
    BusinessHours? BusinessHours,
    IReadOnlyList<string>? Holidays,
    SlaTargets? Targets,
    int WarnBeforeMinutes)
{
    private static readonly IReadOnlyList<string> Day9To5 = ["09:00", "17:00"];

    /// <summary>The contract's default: disabled; Mon–Fri 09:00–17:00 UTC; warn 60 minutes before.</summary>
    public static SlaSettings Default { get; } = new(
        false, "UTC",
        new BusinessHours([Day9To5], [Day9To5], [Day9To5], [Day9To5], [Day9To5], [], []),
        [],
        new SlaTargets(new(60, 240), new(240, 960), new(480, 2400), new(1440, 4800)),
        60);

}

/// <summary>Windows per weekday, each <c>["HH:mm", "HH:mm"]</c> (start, end) within the day; several a day allowed.</summary>
public sealed record BusinessHours(
    IReadOnlyList<IReadOnlyList<string>>? Mon,
    IReadOnlyList<IReadOnlyList<string>>? Tue,
    IReadOnlyList<IReadOnlyList<string>>? Wed,
    IReadOnlyList<IReadOnlyList<string>>? Thu,
    IReadOnlyList<IReadOnlyList<string>>? Fri,
    IReadOnlyList<IReadOnlyList<string>>? Sat,
    IReadOnlyList<IReadOnlyList<string>>? Sun);

/// <summary>Targets per priority, in business minutes.</summary>
public sealed record SlaTargets(SlaTarget? Urgent, SlaTarget? High, SlaTarget? Normal, SlaTarget? Low);

public sealed record SlaTarget(int FirstResponseMinutes, int ResolutionMinutes);
