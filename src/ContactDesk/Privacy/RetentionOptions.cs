using System.ComponentModel.DataAnnotations;

namespace ContactDesk.Privacy;

/// <summary><c>Retention:*</c>: how long finished tickets are kept. 0 = never (the default).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>A resolved ticket is archived this many days after it was resolved.</summary>
    [Range(0, 36_500)] public int ArchiveResolvedAfterDays { get; set; }

    /// <summary>An archived ticket is deleted this many days after its last change (its archiving).</summary>
    [Range(0, 36_500)] public int DeleteArchivedAfterDays { get; set; }

    /// <summary>How often the job looks for tickets due (an addition to the contract).</summary>
    [Range(0.01, 1440)] public double IntervalMinutes { get; set; } = 60;

    /// <summary>Tickets acted on per query, so one run never holds many rows at once.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 200;

    public bool Enabled => ArchiveResolvedAfterDays > 0 || DeleteArchivedAfterDays > 0;
}
