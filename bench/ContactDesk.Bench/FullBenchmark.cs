using System.Diagnostics;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Npgsql;

namespace ContactDesk.Bench;

/// <summary>
/// The <c>all</c> run: start-up on SQLite; then a durable PostgreSQL seeded with a year of tickets,
/// the app as a real process against it, and every API measurement under concurrent load, next to
/// the raw INSERT rate of the same server; the email backlog; the plans of the read queries.
/// </summary>
public static class FullBenchmark
{
    private const string AdminEmail = "bench-admin@example.com";
    private const string Password = "Bench-password-1";

    public static async Task<Report> RunAsync(RunOptions options)
    {
        var report = new Report { Options = options, QuietAtStart = Machine.Quietness() };
        var total = Stopwatch.StartNew();
        Log($"Machine: {report.MachineText}; {report.QuietAtStart}.");

        if (options.Runs("startup"))
        {
            (report.SqliteStartBuildFresh, report.SqliteStartBuildExisting) = await MeasureSqliteStartupAsync("the build output");
        }
        Log("Publishing the app (Release, linux-x64, ReadyToRun) ...");
        AppServer.Directory = await Publish.ReadyToRunAsync();
        if (options.Runs("startup"))
        {
            (report.SqliteStartFresh, report.SqliteStartExisting) = await MeasureSqliteStartupAsync("the published app");
        }

        var postgres = PostgresServer.Start(durable: true);
        await TuneAsync(postgres);
        var cs = postgres.ConnectionString("contactdesk_bench");
        await using var smtp = new SmtpSink();
        var environment = AppEnvironment(cs, smtp);
        await QueryPlans.PreloadAsync(postgres.ConnectionString("postgres"));
        if (options.Runs("fresh") && !options.Reuse)
        {
            report.SubmitVariants.Add(await FreshDatabase.RunAsync(postgres, smtp, options));
        }

        if (!options.Reuse)
        {
            Log("Creating an admin and four moderators (the CLI migrates the new database) ...");
            await AppServer.CreateUserAsync(environment, AdminEmail, Password, "admin", "Bench Admin");
            await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
                AppServer.CreateUserAsync(environment, $"moderator{i}@example.com", Password, "moderator", $"Moderator {i}")));
            var moderators = await QueryListAsync<Guid>(cs, "SELECT id FROM \"AspNetUsers\"");

            Log($"Seeding {options.Tickets:N0} tickets ...");
            report.Seed = await TicketSeeder.SeedAsync(cs, options.Tickets, moderators, DateTime.UtcNow);
            Log($"Seeded: COPY {report.Seed.Copy.TotalSeconds:F1} s, indexes {report.Seed.Indexes.TotalSeconds:F1} s, vacuum {report.Seed.Vacuum.TotalSeconds:F1} s.");
        }
        report.PostgresVersion = (await QueryListAsync<string>(cs, "SHOW server_version"))[0];
        report.PostgresSettings = string.Join(", ", await QueryListAsync<string>(cs, """
            SELECT name || ' = ' || setting || coalesce(' ' || unit, '') FROM pg_settings
            WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'effective_cache_size', 'jit', 'max_connections')
            ORDER BY name
            """));

        await using (var app = await AppServer.StartAsync(environment))
        {
            report.PostgresStart = app.StartupTime;
            report.AppIdleRssMiB = app.Memory().Rss;
            using var api = new ApiClient(app.Address, options.Clients);
            await api.SignInAsync(AdminEmail, Password);
            report.QuietBeforeMeasuring = Machine.Quietness(app.Pid);
            Log($"App on PostgreSQL healthy after {app.StartupTime.TotalMilliseconds:F0} ms; {report.QuietBeforeMeasuring}.");

            var cpu = new CpuMeter(app.Pid, await PostmasterPidAsync(cs));
            if (options.Runs("reads") || options.Runs("plans"))
            {
                await ReadLoad.RunAsync(report, api, options, cpu);
            }
            if (options.Runs("conversation"))
            {
                await ConversationLoad.RunAsync(report, api, cs, options, cpu);
            }
            if (options.Runs("export"))
            {
                await ExportLoad.RunAsync(report, api, app, cs);
            }
            if (options.Runs("writes"))
            {
                await WriteLoad.RunAsync(report, api, app, cs, smtp, options, cpu);
            }
            if (options.Runs("plans"))
            {
                await CapturePlansAsync(report, api, postgres.ConnectionString("postgres"));
            }
            report.AppPeakRssMiB = app.Memory().Peak;
            report.QuietAtEnd = Machine.Quietness(app.Pid);
        }

        if (options.Runs("emails"))
        {
            Log($"Emails: {options.EmailBacklog:N0} backlog on SQLite and on PostgreSQL ...");
            var sqliteFile = Path.Combine(Directory.CreateTempSubdirectory("contactdesk-bench-").FullName, "emails.db");
            report.Emails.Add(await EmailBenchmark.RunAsync(DatabaseProvider.Sqlite, $"Data Source={sqliteFile}", options.EmailBacklog));
            report.Emails.Add(await EmailBenchmark.RunAsync(DatabaseProvider.Postgres, postgres.ConnectionString("bench_emails"), options.EmailBacklog));
        }
        report.Total = total.Elapsed;
        return report;
    }

    /// <summary>The app on PostgreSQL as an operator configures it, sending email to the benchmark's SMTP server.</summary>
    public static Dictionary<string, string> AppEnvironment(string connectionString, SmtpSink smtp) => new()
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Default"] = connectionString,
        ["RateLimiting__Submit__PermitLimit"] = "0",
        ["Email__Smtp__Host"] = "127.0.0.1",
        ["Email__Smtp__Port"] = smtp.Port.ToString(),
    };

    /// <summary>Start-up to a healthy /healthz on a new SQLite file, then again on that file.</summary>
    private static async Task<(TimeSpan Fresh, TimeSpan Existing)> MeasureSqliteStartupAsync(string what)
    {
        var folder = Directory.CreateTempSubdirectory("contactdesk-bench-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(folder, "contactdesk.db")}",
            ["Email__PickupDirectory"] = Path.Combine(folder, "mail"),
        };
        TimeSpan fresh, existing;
        await using (var first = await AppServer.StartAsync(environment))
        {
            fresh = first.StartupTime;
        }
        await using (var again = await AppServer.StartAsync(environment))
        {
            existing = again.StartupTime;
        }
        Log($"SQLite start-up to a healthy /healthz, {what}: {fresh.TotalMilliseconds:F0} ms on a new file, {existing.TotalMilliseconds:F0} ms on an existing one.");
        return (fresh, existing);
    }

    /// <summary>
    /// Memory settings a production server of this size would have; durability stays at the
    /// defaults. PostgreSQL's default shared_buffers (128 MB) would leave a million tickets (about
    /// 1 GB) to the operating system's cache. (The app sets its own session settings: work_mem,
    /// no parallel workers, no JIT.)
    /// </summary>
    public static readonly string[] Settings = ["shared_buffers = '2GB'", "effective_cache_size = '12GB'"];

    public static async Task TuneAsync(PostgresServer postgres)
    {
        var cs = postgres.ConnectionString("postgres");
        foreach (var setting in Settings)
        {
            await ExecAsync(cs, $"ALTER SYSTEM SET {setting}");
        }
        if (Environment.GetEnvironmentVariable("CONTACTDESK_TEST_POSTGRES") is not { Length: > 0 })
        {
            postgres.Stop();
            postgres.Restart(); // shared_buffers needs a restart
        }
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>One request of each read kind with auto_explain on.</summary>
    private static async Task CapturePlansAsync(Report report, ApiClient api, string adminConnectionString)
    {
        Log("Capturing query plans ...");
        var word = SeedData.SubjectWords[0];
        var email = SeedData.Customer(4242).Email;
        report.Plans.AddRange(await QueryPlans.CaptureAsync(adminConnectionString,
        [
            ("list status=pending, page 1", () => api.GetJsonAsync(ReadLoad.ListPath(1))),
            ($"list status=pending, page {report.DeepPage}", () => api.GetJsonAsync(ReadLoad.ListPath(report.DeepPage))),
            ("search by email", () => api.GetJsonAsync(ReadLoad.SearchPath(email))),
            ($"search by a subject word ('{word}')", () => api.GetJsonAsync(ReadLoad.SearchPath(word))),
            ("stats overview", () => api.GetJsonAsync("/api/v1/contact/stats/overview")),
        ]));
    }

    /// <summary>The parent of a backend is the postmaster.</summary>
    public static async Task<int> PostmasterPidAsync(string connectionString)
    {
        var backend = (await QueryListAsync<int>(connectionString, "SELECT pg_backend_pid()"))[0];
        var stat = File.ReadAllText($"/proc/{backend}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }

    public static async Task<List<T>> QueryListAsync<T>(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }
        return values;
    }

    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    public static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
