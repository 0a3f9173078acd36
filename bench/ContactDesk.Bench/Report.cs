namespace ContactDesk.Bench;

/// <summary>Options of the <c>all</c> run.</summary>
/// <param name="Reuse">Keep a database seeded by an earlier run (with CONTACTDESK_TEST_POSTGRES): for working on the app.</param>
/// <param name="Only">Run only these phases (startup, fresh, reads, export, writes, plans, emails); empty: all.</param>
public sealed record RunOptions(int Tickets, int Clients, TimeSpan Duration, int EmailBacklog, bool WriteDoc, bool Reuse, string[] Only)
{
    public bool Runs(string phase) => Only.Length == 0 || Only.Contains(phase);

    public static RunOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new RunOptions(
            int.Parse(Value("--tickets") ?? "1000000"),
            int.Parse(Value("--clients") ?? "16"),
            TimeSpan.FromSeconds(double.Parse(Value("--seconds") ?? "10", System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(Value("--backlog") ?? "10000"),
            !args.Contains("--no-doc") && !args.Contains("--only"),
            args.Contains("--reuse"),
            Value("--only")?.Split(',') ?? []);
    }
}

public sealed record ExportResult(string Name, long Rows, long Bytes, TimeSpan Elapsed, double RssBeforeMiB, double RssPeakMiB)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
    public double GrowthMiB => RssPeakMiB - RssBeforeMiB;
}

/// <summary>Every figure of one <c>all</c> run.</summary>
public sealed class Report
{
    public required RunOptions Options { get; init; }
    public DateTime StartedAt { get; } = DateTime.UtcNow;
    public TimeSpan Total { get; set; }
    public string MachineText { get; } = Machine.Describe();
    public string PostgresVersion { get; set; } = "";
    public string PostgresSettings { get; set; } = "";
    public string QuietAtStart { get; set; } = "";
    public string QuietBeforeMeasuring { get; set; } = "";
    public string QuietAtEnd { get; set; } = "";

    public TicketSeeder.Result? Seed { get; set; }
    public int PendingTotal { get; set; }
    public int DeepPage { get; set; }
    public Dictionary<string, int> WordMatches { get; } = [];

    public TimeSpan SqliteStartBuildFresh { get; set; }
    public TimeSpan SqliteStartBuildExisting { get; set; }
    public TimeSpan SqliteStartFresh { get; set; }
    public TimeSpan SqliteStartExisting { get; set; }
    public TimeSpan PostgresStart { get; set; }

    public List<LoadResult> Reads { get; } = [];
    public LoadResult? Submits { get; set; }
    public LoadResult? Limit { get; set; }
    public List<LoadResult> LimitVariants { get; } = [];
    public double SubmitRssPeakMiB { get; set; }

    /// <summary>Submissions by message kind with the limit of the same run: on a new database and at full size.</summary>
    public List<SubmitVariants.Result> SubmitVariants { get; } = [];
    public int SubmitEmails { get; set; }

    /// <summary>Tickets made during the submission phase, its warm-up included: the ones that owe <see cref="SubmitEmails"/>.</summary>
    public long SubmittedTickets { get; set; }
    public int SubmitSmtpSessions { get; set; }
    public TimeSpan SubmitEmailsDrained { get; set; }
    public List<ExportResult> Exports { get; } = [];
    public List<EmailBenchmark.Result> Emails { get; } = [];
    public double AppPeakRssMiB { get; set; }
    public double AppIdleRssMiB { get; set; }
    public List<QueryPlans.Plan> Plans { get; } = [];

    public double Ratio => Submits is null || Limit is null ? double.NaN : Submits.PerSecond / Limit.PerSecond;
}
