using System.Net;
using System.Net.Http.Json;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests;

/// <summary>Delivery across crashes and instances: every owed email arrives, and arrives once.</summary>
public sealed class EmailDeliveryTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_hard_kill_in_the_middle_of_a_batch_loses_no_email_and_repeats_at_most_the_one_in_flight(DatabaseProvider provider)
    {
        await using var smtp = new TestSmtpServer { Delay = TimeSpan.FromMilliseconds(40) };
        var environment = Environment(provider, smtp);
        const int tickets = 30;

        var app = await AppProcess.StartAsync(environment);
        var submitters = new List<string>();
        using (var client = app.CreateClient())
        {
            for (var i = 0; i < tickets; i++)
            {
                var email = $"crash-{i}-{Guid.NewGuid():N}@example.com";
                var response = await client.PostAsJsonAsync("/api/v1/contact/submit",
                    new { name = "Crash test", email, subject = $"Crash {i}", message = "Sent before the crash." });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                submitters.Add(email);
            }
        }
        await smtp.WaitUntilAsync(r => r.Count >= 5);
        await app.KillAsync();
        var beforeCrash = smtp.Received.Count;
        Assert.True(beforeCrash < tickets, "The kill came too late to interrupt the batch.");

        await using var restarted = await AppProcess.StartAsync(environment);
        var received = await smtp.WaitUntilAsync(r => submitters.All(s => r.Any(m => m.To == s)), seconds: 60);

        var duplicates = received.Count - received.Select(m => m.Message.MessageId).Distinct().Count();
        Assert.InRange(duplicates, 0, 1);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_on_one_PostgreSQL_database_send_each_email_exactly_once()
    {
        await using var smtp = new TestSmtpServer();
        var connectionString = PostgresServer.Instance.ConnectionString($"contactdesk_{Guid.NewGuid():N}");
        await using var first = new SharedDatabaseApp(connectionString, smtp);
        await using var second = new SharedDatabaseApp(connectionString, smtp);
        first.CreateClient().Dispose(); // migrate once before both run
        const int perInstance = 40;

        var submitters = new List<string>();
        var posts = new List<Task<HttpResponseMessage>>();
        foreach (var (app, tag) in new[] { (first, "a"), (second, "b") })
        {
            var client = app.CreateClient();
            for (var i = 0; i < perInstance; i++)
            {
                var email = $"twin-{tag}{i}-{Guid.NewGuid():N}@example.com";
                submitters.Add(email);
                posts.Add(client.PostAsJsonAsync("/api/v1/contact/submit",
                    new { name = "Twin", email, subject = $"Twin {tag}{i}", message = "Two instances, one database." }));
            }
        }
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var received = await smtp.WaitUntilAsync(r => submitters.All(s => r.Any(m => m.To == s)), seconds: 60);
        await Task.Delay(500); // a duplicate would arrive about now
        received = smtp.Received;
        Assert.Equal(2 * perInstance, received.Count);
        Assert.Equal(received.Count, received.Select(m => m.Message.MessageId).Distinct().Count());
    }

    private static Dictionary<string, string> Environment(DatabaseProvider provider, TestSmtpServer smtp)
    {
        var connectionString = provider == DatabaseProvider.Postgres
            ? PostgresServer.Instance.ConnectionString($"contactdesk_{Guid.NewGuid():N}")
            : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("contactdesk-crash-").FullName, "contactdesk.db")}";
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["ConnectionStrings__Default"] = connectionString,
            ["RateLimiting__Submit__PermitLimit"] = "0",
        };
        foreach (var (key, value) in IMailApp.Settings(smtp))
        {
            settings[key.Replace(":", "__")] = value!;
        }
        settings["Email__Dispatch__BatchSize"] = "10";
        return settings;
    }

    /// <summary>One of several app instances sharing a PostgreSQL database and a mail server.</summary>
    private sealed class SharedDatabaseApp(string connectionString, TestSmtpServer smtp) : ContactDeskApp
    {
        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        protected override string ConnectionString => connectionString;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IMailApp.Settings(smtp)];
    }
}
