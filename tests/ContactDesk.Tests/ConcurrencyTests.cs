using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests;

/// <summary>
/// Contract §4: ticket numbers <c>CONT-YYYYMMDD-NNNN</c>, a per-day counter from 0001, unique even
/// under concurrent submissions. A class of its own so that its database starts empty.
/// </summary>
public abstract partial class ConcurrencyTests(ContactDeskApp app)
{
    [Fact]
    public async Task Two_hundred_fifty_concurrent_submissions_get_distinct_numbers_counting_1_to_250_per_day()
    {
        var clients = Enumerable.Range(0, 10).Select(_ => app.CreateClient()).ToList();

        var tickets = await SubmitConcurrentlyAsync(clients, 250, "Concurrent");

        AssertNumberedOneToNPerDay(tickets);
        Assert.Equal(250, await app.QueryAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task A_number_taken_inside_a_callers_transaction_is_part_of_it_and_leaves_it_durable()
    {
        // Email in numbers a batch of tickets in one transaction: the counter goes back with a rollback,
        // and on PostgreSQL its "no WAL flush" setting must not reach the caller's commit.
        var day = new DateOnly(2001, 1, 1 + Random.Shared.Next(28));
        var (taken, before, after) = await app.QueryAsync(async db =>
        {
            Task<string> CommitSettingAsync() => app.Provider == DatabaseProvider.Postgres
                ? db.Database.SqlQueryRaw<string>("SELECT current_setting('synchronous_commit') AS \"Value\"").SingleAsync()
                : Task.FromResult("");
            await using var transaction = await db.Database.BeginTransactionAsync();
            if (app.Provider == DatabaseProvider.Postgres)
            {
                await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = on"); // the test cluster's own default is off
            }
            var setting = await CommitSettingAsync();
            var number = await db.NextTicketCounterAsync(day, CancellationToken.None);
            var settingAfter = await CommitSettingAsync();
            await transaction.RollbackAsync();
            return (number, setting, settingAfter);
        });

        Assert.Equal(before, after);
        Assert.Equal(taken, await app.QueryAsync(db => db.NextTicketCounterAsync(day, CancellationToken.None)));
    }

    /// <summary>Sends <paramref name="count"/> submissions at once, spread over <paramref name="clients"/>; all must be 201.</summary>
    internal static async Task<List<JsonObject>> SubmitConcurrentlyAsync(IReadOnlyList<HttpClient> clients, int count, string label)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() =>
            clients[i % clients.Count].PostAsJsonAsync("/api/v1/contact/submit", new
            {
                name = $"Submitter {i}",
                email = $"submitter{i}@example.com",
                subject = $"{label} {i}",
                message = "Many at once.",
            }))));

        var statuses = responses.GroupBy(r => r.StatusCode).Select(g => $"{(int)g.Key} x{g.Count()}");
        Assert.True(responses.All(r => r.StatusCode == HttpStatusCode.Created), "Statuses: " + string.Join(", ", statuses));
        return [.. await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonObject>())!))];
    }

    /// <summary>Distinct numbers, dated by their UTC creation day, and each day's counters exactly 1..n.</summary>
    internal static void AssertNumberedOneToNPerDay(IReadOnlyList<JsonObject> tickets)
    {
        var numbers = tickets.Select(t => (string)t["ticket_number"]!).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());

        var parsed = tickets.Select(t =>
        {
            var number = (string)t["ticket_number"]!;
            var match = TicketNumber().Match(number);
            Assert.True(match.Success, $"Not CONT-YYYYMMDD-NNNN: {number}");
            Assert.Equal(((string)t["created_at"]!)[..10].Replace("-", ""), match.Groups["day"].Value);
            return (Day: match.Groups["day"].Value, Counter: int.Parse(match.Groups["counter"].Value));
        }).ToList();

        foreach (var day in parsed.GroupBy(p => p.Day))
        {
            Assert.Equal(Enumerable.Range(1, day.Count()), day.Select(p => p.Counter).Order());
        }
    }

    [GeneratedRegex(@"^CONT-(?<day>\d{8})-(?<counter>\d{4,})$")]
    private static partial Regex TicketNumber();
}

[Collection(LoadTests.Name)]
public sealed class ConcurrencyTestsOnSqlite(SqliteApp app) : ConcurrencyTests(app), IClassFixture<SqliteApp>;

[Collection(LoadTests.Name)]
public sealed class ConcurrencyTestsOnPostgres(PostgresApp app) : ConcurrencyTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// The load tests run one at a time, after every other test: hundreds of requests at once would
/// starve the other tests of threads and connections (Microsoft.Data.Sqlite waits for the write lock
/// by blocking its thread), and the other tests would slow these down past the driver's timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTests
{
    public const string Name = "Load tests";
}

/// <summary>Contract §4: ticket numbers stay unique across several instances sharing one database.</summary>
public abstract class TwoInstancesConcurrencyTests(AppsSharingADatabase apps)
{
    [Fact]
    public async Task Two_instances_on_one_database_submitting_150_each_at_once_get_300_distinct_numbers()
    {
        List<HttpClient> first = [apps.First.CreateClient(), apps.First.CreateClient(), apps.First.CreateClient()];
        List<HttpClient> second = [apps.Second.CreateClient(), apps.Second.CreateClient(), apps.Second.CreateClient()];

        var results = await Task.WhenAll(
            ConcurrencyTests.SubmitConcurrentlyAsync(first, 150, "First instance"),
            ConcurrencyTests.SubmitConcurrentlyAsync(second, 150, "Second instance"));

        var tickets = results.SelectMany(r => r).ToList();
        Assert.Equal(300, tickets.Count);
        ConcurrencyTests.AssertNumberedOneToNPerDay(tickets);
        Assert.Equal(300, await apps.Second.QueryAsync(db => db.Tickets.CountAsync()));
    }
}

/// <summary>The app on a database named by the caller, so that several instances can share one.</summary>
public sealed class AppOnDatabase(DatabaseProvider provider, string connectionString) : ContactDeskApp
{
    public override DatabaseProvider Provider => provider;

    protected override string ConnectionString => connectionString;
}

/// <summary>Two app instances (two hosts, two connection pools) on one new database, started one after the other.</summary>
public abstract class AppsSharingADatabase : IDisposable
{
    protected AppsSharingADatabase(DatabaseProvider provider, string connectionString)
    {
        First = new AppOnDatabase(provider, connectionString);
        _ = First.Services; // starts it: the first applies the migrations
        Second = new AppOnDatabase(provider, connectionString);
        _ = Second.Services;
    }

    public AppOnDatabase First { get; }

    public AppOnDatabase Second { get; }

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class AppsSharingASqliteFile() : AppsSharingADatabase(DatabaseProvider.Sqlite,
    $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("contactdesk-shared-").FullName, "contactdesk.db")}");

public sealed class AppsSharingAPostgresDatabase() : AppsSharingADatabase(DatabaseProvider.Postgres,
    PostgresServer.Instance.ConnectionString($"contactdesk_shared_{Guid.NewGuid():N}"));

[Collection(LoadTests.Name)]
public sealed class TwoInstancesConcurrencyTestsOnSqlite(AppsSharingASqliteFile apps)
    : TwoInstancesConcurrencyTests(apps), IClassFixture<AppsSharingASqliteFile>;

[Collection(LoadTests.Name)]
public sealed class TwoInstancesConcurrencyTestsOnPostgres(AppsSharingAPostgresDatabase apps)
    : TwoInstancesConcurrencyTests(apps), IClassFixture<AppsSharingAPostgresDatabase>;
