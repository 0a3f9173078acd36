using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// PostgreSQL stopped (immediate shutdown, as in a crash) under a running app process, and started
/// again: meanwhile every request gets a quick 503 problem, /healthz says unhealthy, and afterwards
/// the same process serves again, having lost nothing it accepted. The cluster is the test's own:
/// the one the other tests share keeps running.
/// </summary>
[Trait("Category", "reliability")]
[Collection(FaultTests.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    /// <summary>Far below the driver's 15 s connect timeout and the 60 s command timeout: an answer, not a hang.</summary>
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task While_PostgreSQL_is_down_requests_get_a_quick_503_and_the_app_recovers_without_a_restart()
    {
        // Durable, as in production: a cluster with synchronous_commit off acknowledges commits that an
        // immediate stop then loses (this test saw two 201s vanish that way), which is not the app's doing.
        var server = PostgresServer.Start(durable: true);
        if (!server.IsOwn)
        {
            output.WriteLine("Skipped: CONTACTDESK_TEST_POSTGRES names a server these tests may not stop.");
            return;
        }
        try
        {
            await using var smtp = new TestSmtpServer();
            var database = new DatabaseProbe(DatabaseProvider.Postgres, server.ConnectionString("contactdesk_outage"));
            var environment = AppEnvironment.For(database, smtp);
            var moderator = await AppEnvironment.CreateUserAsync(environment, "moderator");
            await using var app = await AppProcess.StartAsync(environment);
            using var client = app.CreateClient();
            var token = (string)(await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = moderator.Email, password = moderator.Password })).ReadObjectAsync())["access_token"]!;
            var ticket = await (await client.PostAsJsonAsync($"{Contact}/submit", new { name = "Sam", email = "sam@example.com", subject = "Before", message = "Hi" })).ReadObjectAsync();

            await using var load = SubmissionLoad.Start(app.Address, workers: 2, "outage");
            await load.WaitForAcceptedAsync(5);

            server.Stop();
            var down = Stopwatch.StartNew();
            await WaitForHealthAsync(client, HttpStatusCode.ServiceUnavailable);
            var unhealthyAfter = down.Elapsed;
            var probes = 0;
            foreach (var request in Requests(ticket.IdOf(), (string)ticket["ticket_number"]!, token))
            {
                var clock = Stopwatch.StartNew();
                var what = $"{request.Method} {request.RequestUri}";
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request);
                }
                catch (HttpRequestException e)
                {
                    throw new Xunit.Sdk.XunitException($"{what} gave no answer: {e.Message}\n{app.Output}");
                }
                Assert.True(clock.Elapsed < Quick, $"{what} took {clock.Elapsed.TotalSeconds:0.0} s");
                var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
                Assert.DoesNotContain("Npgsql", problem.ToJsonString());
                Assert.Matches("^[0-9]+$", Assert.Single(response.Headers.GetValues("Retry-After")));
                probes++;
            }
            var outageOutcomes = load.Outcomes.Count;
            await Task.Delay(1000); // the load keeps coming at the app while the database is away

            server.Restart();
            var up = Stopwatch.StartNew();
            await WaitForHealthAsync(client, HttpStatusCode.OK);
            var healthyAfter = up.Elapsed;
            await load.WaitForAcceptedAsync(5); // the same process, no restart
            await load.StopAsync();

            Assert.All(load.Outcomes, o => Assert.True(o.Status is 201 or 503 && o.Latency < Quick, $"{o.Status} after {o.Latency.TotalSeconds:0.0} s: {o.Body}"));
            var stored = await database.QueryAsync(db => db.Tickets.Select(t => t.Id).ToListAsync());
            Assert.All(load.Accepted, o => Assert.Contains(o.TicketId!.Value, stored));
            await CrashTests.WaitUntilAllSentAsync(database, smtp);

            // The email dispatcher (polling every 0.1 s here) reports the outage in a line or two,
            // not with a stack trace at every poll.
            var reports = app.Output.Split("The database is unavailable").Length - 1;
            Assert.True(reports is >= 1 and <= 3, $"{reports} outage reports:\n{app.Output}");
            Assert.DoesNotContain("Email dispatch failed", app.Output);
            output.WriteLine($"Unhealthy {unhealthyAfter.TotalSeconds:0.00} s after the stop; {probes} endpoints answered 503 within {Quick.TotalSeconds} s; " +
                $"load: {load.Summary()} (max {load.Outcomes.Max(o => o.Latency).TotalSeconds:0.00} s); healthy {healthyAfter.TotalSeconds:0.00} s after the start; " +
                $"{load.Accepted.Count} accepted, all stored, all emails sent");
        }
        finally
        {
            server.Remove();
        }
    }

    [Fact]
    public async Task When_PostgreSQL_goes_silent_requests_get_a_503_within_the_apps_connect_timeout()
    {
        await using var app = new SilentDatabaseApp();
        var client = app.CreateClient();
        await (await SubmitAsync(client)).AssertStatusAsync(HttpStatusCode.Created);

        app.Link.Hang(); // connections accepted, never answered: no refusal to react to
        var timings = new List<string>();
        try
        {
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(client.GetAsync("/healthz"), SubmitAsync(client),
                client.PostAsJsonAsync("/api/v1/auth/login", new { email = "x@example.com", password = "Whatever-1" }));
            // The connection string sets no Timeout: the app's default (5 s) applies, not Npgsql's 15 s.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(ContactDesk.Data.DatabaseSetup.DefaultConnectTimeoutSeconds + 4),
                $"answered after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answers[0].StatusCode);
            await answers[1].AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            await answers[2].AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            timings.Add($"{clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            app.Link.Restore();
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await (await SubmitAsync(client)).AssertStatusAsync(HttpStatusCode.Created);
        output.WriteLine($"A silent database: /healthz, submit and login answered 503 after {string.Join(", ", timings)}; served again once it answered");
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client) => client.PostAsJsonAsync($"{Contact}/submit",
        new { name = "Sam", email = "sam@example.com", subject = "Is anyone there?", message = "Hello" });

    /// <summary>The app in-process on the shared server, through a link the test can make silent; its connection string has no Timeout.</summary>
    private sealed class SilentDatabaseApp : ContactDeskApp
    {
        private readonly string database = $"contactdesk_{Guid.NewGuid():N}";

        public SilentDatabaseApp()
        {
            var server = new NpgsqlConnectionStringBuilder(PostgresServer.Instance.ConnectionString(database));
            Link = new TcpLink(new IPEndPoint(IPAddress.Parse(server.Host!), server.Port));
        }

        public TcpLink Link { get; }

        public override DatabaseProvider Provider => DatabaseProvider.Postgres;

        protected override string ConnectionString
        {
            get
            {
                var builder = new NpgsqlConnectionStringBuilder(PostgresServer.Instance.ConnectionString(database)) { Port = Link.Port };
                builder.Remove("Timeout");
                return builder.ConnectionString;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Link.Dispose();
        }
    }

    /// <summary>One request to each kind of endpoint that needs the database: public, signed in, moderator.</summary>
    private static IEnumerable<HttpRequestMessage> Requests(Guid id, string number, string token)
    {
        HttpRequestMessage Signed(HttpMethod method, string path, object? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }
        yield return new(HttpMethod.Post, $"{Contact}/submit")
        {
            Content = JsonContent.Create(new { name = "Sam", email = "sam@example.com", subject = "During", message = "Anyone there?" }),
        };
        yield return new(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email = "x@example.com", password = "Whatever-1" }) };
        yield return Signed(HttpMethod.Get, "/api/v1/auth/me");
        yield return Signed(HttpMethod.Get, $"{Contact}/?search=parcel");
        yield return Signed(HttpMethod.Get, $"{Contact}/{id}");
        yield return Signed(HttpMethod.Get, $"{Contact}/by-ticket/{number}");
        yield return Signed(HttpMethod.Patch, $"{Contact}/{id}", new { admin_notes = "During the outage" });
        yield return Signed(HttpMethod.Post, $"{Contact}/{id}/assign-to-me");
        yield return Signed(HttpMethod.Get, $"{Contact}/{id}/history");
        yield return Signed(HttpMethod.Get, $"{Contact}/stats/overview");
        yield return Signed(HttpMethod.Get, $"{Contact}/export.csv");
    }

    private static async Task WaitForHealthAsync(HttpClient client, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetAsync("/healthz")).StatusCode != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"/healthz did not answer {(int)status} within 30 s");
            await Task.Delay(100);
        }
    }
}
