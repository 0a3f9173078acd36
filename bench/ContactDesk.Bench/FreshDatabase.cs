using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Bench;

/// <summary>
/// Submissions on a database the app has just migrated, as a new installation meets them: empty
/// tables, statistics that say so, index pending lists that fill up for the first time.
/// </summary>
public static class FreshDatabase
{
    public static async Task<SubmitVariants.Result> RunAsync(PostgresServer postgres, SmtpSink smtp, RunOptions options)
    {
        var cs = postgres.ConnectionString("contactdesk_fresh");
        var environment = FullBenchmark.AppEnvironment(cs, smtp);
        FullBenchmark.Log("New database: the CLI migrates it and makes an admin ...");
        await AppServer.CreateUserAsync(environment, "fresh-admin@example.com", "Bench-password-1", "admin", "Fresh Admin");
        await using var app = await AppServer.StartAsync(environment);
        using var api = new ApiClient(app.Address, options.Clients);
        var cpu = new CpuMeter(app.Pid, await FullBenchmark.PostmasterPidAsync(cs));
        return await SubmitVariants.RunAsync("new database", api, cs, options, cpu, runTag: "f");
    }
}
