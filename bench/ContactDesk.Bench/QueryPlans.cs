using System.Text;
using Npgsql;

namespace ContactDesk.Bench;

/// <summary>
/// The plans of the SQL the app really sends, with their run times (EXPLAIN ANALYZE by PostgreSQL's
/// auto_explain module, read back from the server log). The module is preloaded into every session
/// from the start but logs nothing until <see cref="CaptureAsync"/> switches it on for a few requests.
/// </summary>
public static class QueryPlans
{
    public sealed record Plan(string Request, double DurationMs, string Text);

    /// <summary>Before the app connects: every new session loads auto_explain (idle until switched on).</summary>
    public static async Task PreloadAsync(string connectionString)
    {
        await ExecAsync(connectionString, "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'", "SELECT pg_reload_conf()");
    }

    /// <summary>Runs each request with plan logging on and returns the plans of the statements it caused.</summary>
    public static async Task<List<Plan>> CaptureAsync(string connectionString, IReadOnlyList<(string Name, Func<Task> Request)> requests)
    {
        string log;
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SHOW data_directory", conn);
            log = Path.Combine((string)(await cmd.ExecuteScalarAsync())!, "server.log");
        }
        await ExecAsync(connectionString, "LOAD 'auto_explain'",
            "ALTER SYSTEM SET auto_explain.log_min_duration = 0", "ALTER SYSTEM SET auto_explain.log_analyze = on",
            "ALTER SYSTEM SET auto_explain.log_buffers = on", "SELECT pg_reload_conf()");
        await Task.Delay(500); // backends take the new settings before their next statement
        var plans = new List<Plan>();
        try
        {
            foreach (var (name, request) in requests)
            {
                var from = new FileInfo(log).Length;
                await request();
                await Task.Delay(200);
                plans.AddRange(Parse(ReadFrom(log, from)).Where(p => p.Text.Contains("tickets")).Select(p => p with { Request = name }));
            }
        }
        finally
        {
            await ExecAsync(connectionString, "LOAD 'auto_explain'",
                "ALTER SYSTEM RESET auto_explain.log_min_duration", "ALTER SYSTEM RESET auto_explain.log_analyze",
                "ALTER SYSTEM RESET auto_explain.log_buffers", "SELECT pg_reload_conf()");
        }
        return plans;
    }

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        return new StreamReader(stream, Encoding.UTF8).ReadToEnd();
    }

    /// <summary>auto_explain's entries: a "duration: X ms  plan:" line, then the plan's lines, each indented by a tab.</summary>
    private static IEnumerable<Plan> Parse(string log)
    {
        var lines = log.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = lines[i].IndexOf("duration: ", StringComparison.Ordinal);
            if (marker < 0 || !lines[i].EndsWith("plan:", StringComparison.Ordinal))
            {
                continue;
            }
            var ms = double.Parse(lines[i][(marker + 10)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            var text = new StringBuilder();
            while (i + 1 < lines.Length && lines[i + 1].StartsWith('\t'))
            {
                text.AppendLine(lines[++i][1..]);
            }
            yield return new Plan("", ms, text.ToString().TrimEnd());
        }
    }

    private static async Task ExecAsync(string connectionString, params string[] statements)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
