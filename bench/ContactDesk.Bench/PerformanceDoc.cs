using System.Globalization;
using System.Text;
using ContactDesk.Data;

namespace ContactDesk.Bench;

/// <summary>
/// The results as Markdown: printed, and written into docs/performance.md between marker comments,
/// so the hand-written parts of that page stay as they are.
/// </summary>
public static class PerformanceDoc
{
    private const string AllBlock = "bench:all", EmailBlock = "bench:emails";

    public static string ResultsTable(Report r)
    {
        var t = new StringBuilder();
        t.AppendLine($"Measured {r.StartedAt:yyyy-MM-dd HH:mm} UTC in {r.Total.TotalMinutes:F1} min on {r.MachineText}, PostgreSQL {r.PostgresVersion}.");
        t.AppendLine($"PostgreSQL settings: {r.PostgresSettings} (shared_buffers in 8 kB pages).");
        t.AppendLine($"Machine before the run: {r.QuietAtStart}; before measuring: {r.QuietBeforeMeasuring}; at the end: {r.QuietAtEnd}.");
        t.AppendLine();
        t.AppendLine("| measurement | clients | rate /s | p50 ms | p99 ms | errors | CPU µs per request: app / PostgreSQL / load generator |");
        t.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var x in r.Reads.Concat(new[] { r.Submits, r.Limit }.OfType<LoadResult>()).Concat(r.LimitVariants))
        {
            var cpu = x.CpuPerRequest is { } c ? $"{c.App:N0} / {c.Postgres:N0} / {c.Generator:N0}" : "";
            t.AppendLine($"| {x.Name} | {x.Clients} | {x.PerSecond:N0} | {Ms(x.P50)} | {Ms(x.P99)} | {x.Errors} | {cpu} |");
        }
        t.AppendLine();
        t.AppendLine($"**Submissions / limit: {r.Ratio:F2}** ({r.Submits?.PerSecond:N0} submissions/s against {r.Limit?.PerSecond:N0} bare INSERTs/s, same server, same concurrency).");
        if (r.LimitVariants.FirstOrDefault(v => v.Name.StartsWith("a submission")) is { } raw && r.Submits is not null)
        {
            t.AppendLine($"Submissions / the same writes as raw SQL: {r.Submits.PerSecond / raw.PerSecond:F2} ({raw.PerSecond:N0}/s).");
        }
        if (r.SubmitVariants.Count > 0)
        {
            t.AppendLine();
            t.AppendLine(SubmitTable(r.SubmitVariants));
        }
        if (r.Submits is not null)
        {
            t.AppendLine($"The {r.SubmittedTickets:N0} submissions of that phase (its warm-up included) owed {r.SubmitEmails:N0} emails (a confirmation and one notification per admin); " +
                $"the app sent them over {r.SubmitSmtpSessions:N0} SMTP connections while taking submissions, and the outbox was empty {r.SubmitEmailsDrained.TotalSeconds:F1} s after the load stopped. " +
                $"App RSS during the submissions: at most {r.SubmitRssPeakMiB:N0} MiB.");
        }
        t.AppendLine();
        if (r.Exports.Count > 0)
        {
            t.AppendLine("| CSV export | rows | MiB | seconds | rows/s | app RSS before → at most during (MiB) |");
            t.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var e in r.Exports)
            {
                t.AppendLine($"| {e.Name} | {e.Rows:N0} | {e.Bytes / 1048576.0:N0} | {e.Elapsed.TotalSeconds:F2} | {e.RowsPerSecond:N0} | {e.RssBeforeMiB:N0} → {e.RssPeakMiB:N0} |");
            }
            t.AppendLine();
        }
        t.AppendLine("| other | figure |");
        t.AppendLine("| --- | ---: |");
        t.AppendLine($"| start-up to a healthy /healthz, SQLite, new database file: published (ReadyToRun) / build output | {r.SqliteStartFresh.TotalMilliseconds:N0} ms / {r.SqliteStartBuildFresh.TotalMilliseconds:N0} ms |");
        t.AppendLine($"| start-up to a healthy /healthz, SQLite, existing file: published (ReadyToRun) / build output | {r.SqliteStartExisting.TotalMilliseconds:N0} ms / {r.SqliteStartBuildExisting.TotalMilliseconds:N0} ms |");
        t.AppendLine($"| start-up to a healthy /healthz, PostgreSQL with {r.Options.Tickets:N0} tickets | {r.PostgresStart.TotalMilliseconds:N0} ms |");
        t.AppendLine($"| app RSS idle after start-up (PostgreSQL) | {r.AppIdleRssMiB:N0} MiB |");
        t.AppendLine($"| app peak RSS over the whole run (VmHWM) | {r.AppPeakRssMiB:N0} MiB |");
        foreach (var e in r.Emails)
        {
            t.AppendLine($"| emails/s from a {e.Emails:N0} backlog to a local SMTP server, {Name(e.Provider)} | {e.PerSecond:N0} |");
        }
        if (r.Seed is { } seed)
        {
            t.AppendLine($"| seeding {seed.Tickets:N0} tickets: COPY and derived tables / indexes / VACUUM ANALYZE | {seed.Copy.TotalSeconds:F0} s / {seed.Indexes.TotalSeconds:F0} s / {seed.Vacuum.TotalSeconds:F0} s |");
        }
        t.AppendLine();
        t.AppendLine(Targets(r));
        return t.ToString();
    }

    /// <summary>Each target of the issue against the figure measured.</summary>
    public static string Targets(Report r)
    {
        var t = new StringBuilder();
        t.AppendLine("| target | measured | met |");
        t.AppendLine("| --- | --- | :---: |");
        void Row(string target, string measured, bool? met) =>
            t.AppendLine($"| {target} | {measured} | {(met is null ? "–" : met.Value ? "yes" : "**no**")} |");
        if (r.Submits is { } s && r.Limit is not null)
        {
            Row("submissions/s ≥ 0.5 × the limit", $"{r.Ratio:F2} × ({s.PerSecond:N0} / {r.Limit.PerSecond:N0})", r.Ratio >= 0.5);
            Row("submission p99 ≤ 50 ms", $"{Ms(s.P99)} ms", s.P99 <= 50);
        }
        foreach (var v in r.SubmitVariants)
        {
            var worst = v.Submits.MinBy(v.Ratio)!;
            var slowest = v.Submits.MaxBy(x => x.P99)!;
            Row($"submissions ≥ 0.5 × the limit, {v.Database} (every message kind)", $"{v.Ratio(worst):F2} × at worst ({worst.Name})", v.Ratio(worst) >= 0.5);
            Row($"submission p99 ≤ 50 ms, {v.Database} (every message kind)", $"{Ms(slowest.P99)} ms at worst ({slowest.Name})", slowest.P99 <= 50);
        }
        foreach (var x in r.Reads)
        {
            double? target = x.Name.StartsWith("list") ? 20 : x.Name.StartsWith("search") ? 50 : x.Name.StartsWith("stats") ? 100 : null;
            if (target is not { } limit)
            {
                continue; // the conversation's rows: no latency target of their own
            }
            if (x.Clients != r.Options.Clients)
            {
                Row($"{x.Name}: p99 ≤ {limit:N0} ms (the target is at {r.Options.Clients} clients; for information)", $"p50 {Ms(x.P50)} ms, p99 {Ms(x.P99)} ms", null);
                continue;
            }
            Row($"{x.Name}: p99 ≤ {limit:N0} ms", $"{Ms(x.P99)} ms", x.P99 <= limit);
        }
        if (r.Exports.Count > 0)
        {
            var growth = r.Exports.Select(e => e.GrowthMiB).ToList();
            Row("export streams: memory flat whatever the row count (growth within 25 MiB from 10,000 rows to all)",
                string.Join(", ", r.Exports.Select(e => $"+{e.GrowthMiB:N0} MiB for {e.Rows:N0} rows")), growth.Max() - growth.Min() <= 25);
        }
        foreach (var e in r.Emails)
        {
            Row($"emails ≥ 500/s ({Name(e.Provider)})", $"{e.PerSecond:N0}/s", e.PerSecond >= 500);
        }
        if (r.AppPeakRssMiB > 0)
        {
            Row("peak RSS ≤ 300 MB under load", $"{r.AppPeakRssMiB:N0} MiB", r.AppPeakRssMiB * 1.048576 <= 300);
        }
        if (r.SqliteStartFresh > TimeSpan.Zero)
        {
            var worst = r.SqliteStartFresh > r.SqliteStartExisting ? r.SqliteStartFresh : r.SqliteStartExisting;
            Row("start-up to a healthy /healthz ≤ 2 s on SQLite (published app)",
                $"{r.SqliteStartFresh.TotalMilliseconds:N0} ms new file, {r.SqliteStartExisting.TotalMilliseconds:N0} ms existing", worst.TotalSeconds <= 2);
            var build = r.SqliteStartBuildFresh > r.SqliteStartBuildExisting ? r.SqliteStartBuildFresh : r.SqliteStartBuildExisting;
            Row("start-up to a healthy /healthz ≤ 2 s on SQLite (build output, as `dotnet run` starts it)",
                $"{r.SqliteStartBuildFresh.TotalMilliseconds:N0} ms new file, {r.SqliteStartBuildExisting.TotalMilliseconds:N0} ms existing", build.TotalSeconds <= 2);
        }
        return t.ToString();
    }

    /// <summary>Submissions by message kind, each against the bare-INSERT limit of the same database in the same run.</summary>
    public static string SubmitTable(IEnumerable<SubmitVariants.Result> results)
    {
        var t = new StringBuilder();
        t.AppendLine("| database | measurement | clients | rate /s | × limit | p50 ms | p99 ms | errors | CPU µs per request: app / PostgreSQL / load generator |");
        t.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var v in results)
        {
            foreach (var x in v.Submits.Prepend(v.Limit))
            {
                var cpu = x.CpuPerRequest is { } c ? $"{c.App:N0} / {c.Postgres:N0} / {c.Generator:N0}" : "";
                t.AppendLine($"| {v.Database} | {x.Name} | {x.Clients} | {x.PerSecond:N0} | {v.Ratio(x):F2} | {Ms(x.P50)} | {Ms(x.P99)} | {x.Errors} | {cpu} |");
            }
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
            t.AppendLine($"| {Name(e.Provider)} | {e.Emails:N0} | {e.Elapsed.TotalSeconds:F1} | {e.PerSecond:F0} |");
        }
        return t.ToString();
    }

    public static string Plans(Report r)
    {
        var t = new StringBuilder();
        foreach (var group in r.Plans.GroupBy(p => p.Request))
        {
            t.AppendLine($"<details><summary>{group.Key}: {string.Join(" + ", group.Select(p => $"{p.DurationMs.ToString("0.###", CultureInfo.InvariantCulture)} ms"))}</summary>");
            t.AppendLine();
            foreach (var plan in group)
            {
                t.AppendLine("```");
                t.AppendLine(plan.Text);
                t.AppendLine("```");
            }
            t.AppendLine("</details>");
            t.AppendLine();
        }
        return t.ToString();
    }

    /// <summary>Replaces the generated blocks of docs/performance.md; returns the file's path.</summary>
    public static string Write(Report r)
    {
        var path = DocPath();
        var doc = File.ReadAllText(path);
        var all = new StringBuilder()
            .AppendLine(ResultsTable(r))
            .AppendLine("Query plans of the reads at this size, as PostgreSQL ran them (EXPLAIN ANALYZE by auto_explain, one request each after the load):")
            .AppendLine()
            .Append(Plans(r));
        doc = Replace(doc, AllBlock, all.ToString());
        if (r.Emails.Count > 0)
        {
            doc = Replace(doc, EmailBlock, $"Result, {r.StartedAt:yyyy-MM-dd} (target: ≥ 500 emails/s):\n\n{EmailTable(r.Emails)}");
        }
        File.WriteAllText(path, doc);
        return path;
    }

    public static string WriteEmails(IReadOnlyList<EmailBenchmark.Result> results)
    {
        var path = DocPath();
        File.WriteAllText(path, Replace(File.ReadAllText(path), EmailBlock, $"Result, {DateTime.UtcNow:yyyy-MM-dd} (target: ≥ 500 emails/s):\n\n{EmailTable(results)}"));
        return path;
    }

    private static string Replace(string doc, string block, string content)
    {
        var start = $"<!-- {block} -->";
        var end = $"<!-- /{block} -->";
        var from = doc.IndexOf(start, StringComparison.Ordinal);
        var to = doc.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from)
        {
            throw new InvalidOperationException($"docs/performance.md has no '{start}' ... '{end}' block.");
        }
        return doc[..(from + start.Length)] + "\n" + content.TrimEnd() + "\n" + doc[to..];
    }

    private static string DocPath() => Path.Combine(Repository.Root, "docs", "performance.md");

    private static string Name(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL (durable)";

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms < 10 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("N0", CultureInfo.InvariantCulture);
}
