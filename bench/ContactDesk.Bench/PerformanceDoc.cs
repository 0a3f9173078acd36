using System.Text;

namespace ContactDesk.Bench;

/// <summary>The results as Markdown: printed, and written into docs/performance.md between markers.</summary>
public static class PerformanceDoc
{
    public static string ResultsTable(Report r)
    {
        var t = new StringBuilder();
        t.AppendLine("| measurement | clients | rate /s | p50 ms | p99 ms | errors |");
        t.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var x in r.Reads.Concat(new[] { r.Limit, r.Submits }.OfType<LoadResult>()).Concat(r.CounterVariants))
        {
            t.AppendLine($"| {x.Name} | {x.Clients} | {x.PerSecond:N0} | {x.P50:F1} | {x.P99:F1} | {x.Errors} |");
        }
        t.AppendLine();
        t.AppendLine($"submit / limit: {r.Ratio:F2}");
        foreach (var e in r.Exports)
        {
            t.AppendLine($"{e.Name}: {e.Rows:N0} rows in {e.Elapsed.TotalSeconds:F2} s, RSS {e.RssBeforeMiB:F0} -> {e.RssPeakMiB:F0} MiB");
        }
        t.AppendLine($"start-up SQLite: {r.SqliteStartFresh.TotalMilliseconds:F0} ms new, {r.SqliteStartExisting.TotalMilliseconds:F0} ms existing; PostgreSQL 1M: {r.PostgresStart.TotalMilliseconds:F0} ms");
        t.AppendLine($"peak RSS {r.AppPeakRssMiB:F0} MiB");
        t.AppendLine(EmailTable(r.Emails));
        foreach (var p in r.Plans)
        {
            t.AppendLine($"--- {p.Request} ({p.DurationMs} ms)\n{p.Text}\n");
        }
        return t.ToString();
    }

    public static string EmailTable(IEnumerable<EmailBenchmark.Result> results)
    {
        var t = new StringBuilder();
        t.AppendLine("| database | emails | seconds | emails/s |");
        t.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var e in results)
        {
            t.AppendLine($"| {(e.Provider == ContactDesk.Data.DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL (durable)")} | {e.Emails:N0} | {e.Elapsed.TotalSeconds:F1} | {e.PerSecond:F0} |");
        }
        return t.ToString();
    }

    public static string Write(Report r) => "(not yet)";
}
