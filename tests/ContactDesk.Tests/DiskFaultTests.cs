using System.Net;
using System.Net.Http.Json;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContactDesk.Tests;

/// <summary>
/// SQLite on a file system that fills up or is read-only (a tmpfs of the test's own): a clear error
/// at start-up or a 503 while serving, never a 500 and never a damaged database.
/// </summary>
[Trait("Category", "reliability")]
[Collection(FaultTests.Name)]
public sealed class DiskFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_disk_that_fills_up_while_serving_gives_503s_then_recovers_and_the_database_stays_intact()
    {
        using var disk = Tmpfs.Mount(megabytes: 16);
        var database = new DatabaseProbe(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(disk.Path, "contactdesk.db")}");
        var environment = AppEnvironment.For(database); // emails go to a folder elsewhere
        await using var app = await AppProcess.StartAsync(environment, null);
        using var client = app.CreateClient();
        var accepted = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            accepted.Add(await SubmitAsync(client, HttpStatusCode.Created));
        }

        var filler = disk.Fill();
        var refused = 0;
        for (var i = 0; i < 200 && refused < 3; i++)
        {
            var response = await PostAsync(client, new string('x', 20_000));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                accepted.Add((await response.Content.ReadFromJsonAsync<Ticket>())!.Id);
                continue;
            }
            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Matches("^[0-9]+$", Assert.Single(response.Headers.GetValues("Retry-After")));
            refused++;
        }
        Assert.True(refused == 3, "The full disk never refused a submission.");

        File.Delete(filler);
        accepted.Add(await SubmitAsync(client, HttpStatusCode.Created)); // the same process, no restart
        await app.KillAsync(); // and then a crash, for good measure

        Assert.Equal("ok", await database.IntegrityCheckAsync());
        var stored = await database.QueryAsync(db => db.Tickets.Select(t => t.Id).ToListAsync());
        Assert.All(accepted, id => Assert.Contains(id, stored));
        await using var restarted = await AppProcess.StartAsync(environment, null);
        await SubmitAsync(restarted.CreateClient(), HttpStatusCode.Created);
        output.WriteLine($"Disk full: {refused} submissions answered 503 (none 500); {accepted.Count} accepted ones all kept; integrity_check ok; restarted fine");
    }

    [Fact]
    public async Task A_read_only_database_at_start_up_is_a_clear_error_and_exit_code_1_and_the_data_stays_intact()
    {
        using var disk = Tmpfs.Mount(megabytes: 16);
        var database = new DatabaseProbe(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(disk.Path, "contactdesk.db")}");
        var environment = AppEnvironment.For(database);
        await using (var app = await AppProcess.StartAsync(environment, null))
        {
            await SubmitAsync(app.CreateClient(), HttpStatusCode.Created);
            await app.StopAsync();
        }

        disk.Remount(readOnly: true);
        var result = await BuiltProgram.RunAsync(environment, TimeSpan.FromSeconds(60), "--urls", $"http://127.0.0.1:{AppProcess.FreePort()}");
        disk.Remount(readOnly: false);

        AssertClearStartupError(result, database);
        Assert.Equal("ok", await database.IntegrityCheckAsync());
        Assert.Equal(1, await database.QueryAsync(db => db.Tickets.CountAsync()));
        output.WriteLine($"Read-only: exit {result.ExitCode}: {FirstLine(result)}");
    }

    [Fact]
    public async Task A_full_disk_at_start_up_is_a_clear_error_and_exit_code_1()
    {
        using var disk = Tmpfs.Mount(megabytes: 1);
        var database = new DatabaseProbe(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(disk.Path, "contactdesk.db")}");
        var environment = AppEnvironment.For(database);
        var filler = disk.Fill();

        var result = await BuiltProgram.RunAsync(environment, TimeSpan.FromSeconds(60), "--urls", $"http://127.0.0.1:{AppProcess.FreePort()}");
        AssertClearStartupError(result, database);

        File.Delete(filler);
        await using var app = await AppProcess.StartAsync(environment, null); // the same file, once there is room
        await SubmitAsync(app.CreateClient(), HttpStatusCode.Created);
        output.WriteLine($"Full at start-up: exit {result.ExitCode}: {FirstLine(result)}");
    }

    private static void AssertClearStartupError(BuiltProgram.Result result, DatabaseProbe database)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        Assert.Contains($"Cannot start: the SQLite database {file} could not be prepared", result.StdOut + result.StdErr);
        Assert.DoesNotContain("Unhandled exception", result.StdOut + result.StdErr);
    }

    private static string FirstLine(BuiltProgram.Result result) =>
        (result.StdOut + result.StdErr).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Cannot start", StringComparison.Ordinal)) ?? "";

    private static async Task<Guid> SubmitAsync(HttpClient client, HttpStatusCode expected)
    {
        var response = await PostAsync(client, "Hello");
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Ticket>())!.Id;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string message) => client.PostAsJsonAsync("/api/v1/contact/submit",
        new { name = "Sam", email = $"sam-{Guid.NewGuid():N}@example.com", subject = "Disk test", message });

    private sealed record Ticket(Guid Id);
}
