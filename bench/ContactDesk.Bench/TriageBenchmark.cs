using System.Diagnostics;
using System.Text.Json;
using ContactDesk.Hosting;
using ContactDesk.Sla;
using ContactDesk.Tests.Infrastructure;
using Npgsql;

namespace ContactDesk.Bench;

/// <summary>
/// <c>ContactDesk.Bench triage [--tickets N] [--seconds S]</c>: the queue's triage reads at N seeded
/// tickets (default 1,000,000) on PostgreSQL (durable, tuned as in <c>all</c>) at 2 clients (two tags,
/// <c>sla=breached</c>, <c>ordering=-priority</c>), their plans, and the SLA job's cost: CPU of app and
/// PostgreSQL over idle minutes with the policy off and then on, and the job's due-work scan.
/// </summary>
public static class TriageBenchmark
{
    private const string AdminEmail = "bench-admin@example.com", Password = "Bench-password-1";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
        var (tickets, seconds) = (Arg("--tickets", 1_000_000), Arg("--seconds", 15));
        var log = FullBenchmark.Log;
        log($"Machine: {Machine.Quietness()}.");

        var postgres = PostgresServer.Start(durable: true);
        await FullBenchmark.TuneAsync(postgres);
        await QueryPlans.PreloadAsync(postgres.ConnectionString("postgres"));
        var cs = postgres.ConnectionString($"contactdesk_triage_{Guid.NewGuid():N}");
        await using var smtp = new SmtpSink();
        var environment = FullBenchmark.AppEnvironment(cs, smtp);
        await AppServer.CreateUserAsync(environment, AdminEmail, Password, "admin", "Bench Admin");
        await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
            AppServer.CreateUserAsync(environment, $"moderator{i}@example.com", Password, "moderator", $"Moderator {i}")));
        var moderators = await FullBenchmark.QueryListAsync<Guid>(cs, "SELECT id FROM \"AspNetUsers\"");

        // The contract's default policy (Mon-Fri 09:00-17:00 UTC), switched on; stored off for the idle baseline.
        var settings = SlaSettings.Default with { Enabled = true };
        var policy = SlaValidator.Validate(settings, new FieldErrors())!;
        await StorePolicyAsync(cs, settings with { Enabled = false });

        log($"Seeding {tickets:N0} tickets with priorities, tags and SLA columns ...");
        var seed = await TicketSeeder.SeedAsync(cs, tickets, moderators, DateTime.UtcNow, policy);
        log($"Seeded: COPY {seed.Copy.TotalSeconds:F1} s, indexes {seed.Indexes.TotalSeconds:F1} s, vacuum {seed.Vacuum.TotalSeconds:F1} s.");
        foreach (var line in await FullBenchmark.QueryListAsync<string>(cs, """
            SELECT 'priority ' || priority || ': ' || count(*) FROM tickets GROUP BY priority
            UNION ALL SELECT 'sla_state ' || coalesce(sla_state, 'null') || ': ' || count(*) FROM tickets GROUP BY sla_state
            UNION ALL SELECT 'tagged tickets: ' || count(*) FILTER (WHERE tags <> '') || ', tags: ' || (SELECT count(*) FROM tags) || ', links: ' || (SELECT count(*) FROM ticket_tags) FROM tickets
            UNION ALL (SELECT 'tag ' || name || ': ' || ticket_count FROM tags ORDER BY ticket_count DESC LIMIT 10)
            """))
        {
            log(line);
        }

        await using var app = await AppServer.StartAsync(environment);
        using var api = new ApiClient(app.Address, 2);
        await api.SignInAsync(AdminEmail, Password);
        var cpu = new CpuMeter(app.Pid, await FullBenchmark.PostmasterPidAsync(cs));
        log($"App healthy; {Machine.Quietness(app.Pid)}.");

        var (a, b) = (Triage.CommonTags[0].Name, Triage.CommonTags[2].Name);
        (string Name, string Path)[] reads =
        [
            ($"tag={a},{b}", $"/api/v1/contact/?tag={a},{b}"),
            ("sla=breached", "/api/v1/contact/?sla=breached"),
            ("ordering=-priority", "/api/v1/contact/?ordering=-priority"),
        ];
        foreach (var (name, path) in reads)
        {
            var body = await api.GetJsonAsync(path);
            log($"{name}: total {(int)body["total"]!:N0}");
        }
        var warmed = await LoadRunner.RunAsync("warm-up", 2, TimeSpan.FromSeconds(20), (i, ct) => api.GetAsync(reads[i % reads.Length].Path, ct));
        log($"Warmed up with {warmed.Requests:N0} reads.");
        foreach (var (name, path) in reads)
        {
            var result = await LoadRunner.RunAsync($"{name}, 2 clients", 2, TimeSpan.FromSeconds(seconds), (_, ct) => api.GetAsync(path, ct), cpu);
            log(result.Summary());
        }

        log("Capturing the plans ...");
        foreach (var plan in await QueryPlans.CaptureAsync(postgres.ConnectionString("postgres"),
            reads.Select(r => (r.Name, (Func<Task>)(() => api.GetJsonAsync(r.Path)))).ToList()))
        {
            Console.WriteLine($"--- {plan.Request} ({plan.DurationMs:F1} ms)\n{plan.Text}");
        }

        // The job: every SlaMonitor.Interval it scans the work list; what is due gets recorded.
        var minute = TimeSpan.FromSeconds(60);
        await Task.Delay(TimeSpan.FromSeconds(30)); // the tiered JIT finishes what the reads started
        var off = await IdleAsync(cpu, minute);
        log($"Idle minute, policy off: CPU app {off.App.TotalMilliseconds:F0} ms, PostgreSQL {off.Postgres.TotalMilliseconds:F0} ms.");
        await StorePolicyAsync(cs, settings);
        await Task.Delay(TimeSpan.FromSeconds(6)); // the app's policy cache lasts 5 s
        var before = await CountRecordsAsync(cs);
        var on = await IdleAsync(cpu, minute);
        var recorded = await CountRecordsAsync(cs) - before;
        log($"Idle minute, policy on: CPU app {on.App.TotalMilliseconds:F0} ms, PostgreSQL {on.Postgres.TotalMilliseconds:F0} ms; " +
            $"{recorded} warnings/breaches recorded ({60 / SlaMonitor.Interval.TotalSeconds:F0} runs).");
        log("Busiest hours of the work list in the next week: " + string.Join(", ", await FullBenchmark.QueryListAsync<string>(cs, """
            SELECT to_char(hour, 'Dy HH24:00') || ': ' || due FROM (
                SELECT date_trunc('hour', sla_next_check_at) AS hour, count(*) AS due FROM tickets
                WHERE sla_next_check_at < now() + interval '7 days' GROUP BY 1) AS hours
            ORDER BY due DESC LIMIT 3
            """)));
        log($"Due within the next hour: {(await FullBenchmark.QueryListAsync<long>(cs, "SELECT count(*) FROM tickets WHERE sla_next_check_at <= now() + interval '1 hour'"))[0]}.");
        await ExplainAsync(cs, "the job's due-work scan",
            "SELECT id FROM tickets WHERE sla_next_check_at <= now() ORDER BY sla_next_check_at LIMIT 200");

        // What the two slow counts would cost with other indexes or SQL (experiments, not the app's).
        var (idA, idB) = ((await FullBenchmark.QueryListAsync<int>(cs, $"SELECT id FROM tags WHERE name = '{a}'"))[0],
            (await FullBenchmark.QueryListAsync<int>(cs, $"SELECT id FROM tags WHERE name = '{b}'"))[0]);
        await ExplainAsync(cs, "two tags: the intersection alone, no status",
            $"SELECT count(*) FROM ticket_tags x JOIN ticket_tags y ON y.ticket_id = x.ticket_id AND y.tag_id = {idB} WHERE x.tag_id = {idA}");
        await ExplainAsync(cs, "two tags: the intersection, then each ticket's status by its key",
            $"SET enable_hashjoin = off; SET enable_mergejoin = off; EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM tickets t WHERE t.status <> 'archived' AND t.id IN (SELECT x.ticket_id FROM ticket_tags x JOIN ticket_tags y ON y.ticket_id = x.ticket_id AND y.tag_id = {idB} WHERE x.tag_id = {idA})",
            explain: false);
        await FullBenchmark.ExecAsync(cs, "CREATE INDEX ix_try_tickets_sla_state_status ON tickets (sla_state, status)");
        await FullBenchmark.ExecAsync(cs, "VACUUM (ANALYZE) tickets");
        await ExplainAsync(cs, "sla=breached count with an index on (sla_state, status)",
            "SELECT count(*) FROM tickets WHERE status <> 'archived' AND sla_state = 'breached'");
        log($"Done; {Machine.Quietness(app.Pid)}.");
        return 0;
    }

    private static async Task ExplainAsync(string cs, string title, string sql, bool explain = true)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(explain ? $"EXPLAIN (ANALYZE, BUFFERS) {sql}" : sql, conn) { CommandTimeout = 600 };
        await using var reader = await cmd.ExecuteReaderAsync();
        while (reader.FieldCount == 0 || reader.GetName(0) != "QUERY PLAN")
        {
            await reader.NextResultAsync();
        }
        Console.WriteLine($"--- {title}");
        while (await reader.ReadAsync())
        {
            Console.WriteLine(reader.GetString(0));
        }
    }

    private static async Task<CpuMeter.Sample> IdleAsync(CpuMeter cpu, TimeSpan duration)
    {
        var first = cpu.Read();
        await Task.Delay(duration);
        return CpuMeter.Delta(first, cpu.Read());
    }

    private static async Task<long> CountRecordsAsync(string cs) =>
        (await FullBenchmark.QueryListAsync<long>(cs, "SELECT count(*) FROM audit_entries WHERE action IN ('sla_warning', 'sla_breached')"))[0];

    private static async Task StorePolicyAsync(string cs, SlaSettings settings)
    {
        var json = new JsonSerializerOptions();
        ServiceSetup.Configure(json);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO sla_policy (id, settings, updated_at) VALUES (1, $1, now())
            ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
            """, conn);
        cmd.Parameters.AddWithValue(JsonSerializer.Serialize(settings, json));
        await cmd.ExecuteNonQueryAsync();
    }
}
