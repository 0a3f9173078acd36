using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using ContactDesk.Data;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Webhooks;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContactDesk.Tests.Operations;

/// <summary>
/// SIGTERM, as a container engine or systemd stops the app: it refuses new connections at once,
/// answers every request it had begun, sends no email or webhook twice, and exits with code 0.
/// </summary>
[Trait("Category", "reliability")]
[Collection(FaultTests.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_request_in_flight_at_SIGTERM_is_answered_new_connections_are_refused_and_the_exit_code_is_0(DatabaseProvider provider)
    {
        var database = DatabaseProbe.NewDatabase(provider);
        await using var app = await AppProcess.StartAsync(AppEnvironment.For(database));
        var email = $"slow-{Guid.NewGuid():N}@example.com";
        var body = Encoding.UTF8.GetBytes($$"""{"name":"Slow Sender","email":"{{email}}","subject":"Sent slowly","message":"{{new string('x', 20_000)}}","category":"general"}""");
        await using var slow = await RawHttp.StartAsync(app.Address, $"""
            POST /api/v1/contact/submit HTTP/1.1
            Host: {app.Address.Authority}
            Content-Type: application/json
            Content-Length: {body.Length}

            """);
        Assert.True(await slow.TrySendAsync(body[..1000]));

        app.Terminate();
        // The listener closes at once: a new connection is refused while the slow request goes on.
        await WaitUntilRefusedAsync(app.Address);
        for (var sent = 1000; sent < body.Length; sent += 4000)
        {
            Assert.True(await slow.TrySendAsync(body[sent..Math.Min(body.Length, sent + 4000)]), $"cut off after {sent} bytes: {app.Output}");
            await Task.Delay(100);
        }

        Assert.Equal(201, await slow.StatusAsync(30));
        await app.WaitForExitAsync();
        Assert.True(app.ExitCode == 0, $"exit code {app.ExitCode}: {app.Output}");
        Assert.Equal(1, await database.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == email)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SIGTERM_under_load_cuts_off_no_request_and_sends_no_email_twice(DatabaseProvider provider)
    {
        await using var smtp = new TestSmtpServer();
        var database = DatabaseProbe.NewDatabase(provider);
        var environment = AppEnvironment.For(database, smtp);
        environment["Email__Dispatch__BatchSize"] = "5";
        var app = await AppProcess.StartAsync(environment);
        await using var load = SubmissionLoad.Start(app.Address, workers: 6, "sigterm");
        await load.WaitForAcceptedAsync(30);
        await smtp.WaitUntilAsync(r => r.Count > 0); // the sender is at work

        app.Terminate();
        await app.WaitForExitAsync();
        await load.StopAsync();
        Assert.True(app.ExitCode == 0, $"exit code {app.ExitCode}: {app.Output}");
        var sentBeforeRestart = smtp.Received.Count;

        // Every request got its answer: no ticket was stored whose 201 did not reach the client.
        Assert.All(load.Outcomes, o => Assert.True(o.Status is 201 or 0, $"{o.Status}: {o.Body}"));
        var stored = await database.QueryAsync(db => db.Tickets.Select(t => t.Id).ToListAsync());
        Assert.Equal(load.Accepted.Select(a => a.TicketId!.Value).Order(), stored.Order());

        // The emails still owed go out after a restart, and none was sent twice.
        await using var restarted = await AppProcess.StartAsync(environment, app.Port);
        var owed = await CrashTests.WaitUntilAllSentAsync(database, smtp);
        Assert.Equal(owed.Count, smtp.Received.Count);
        Assert.Equal(owed.Select(e => e.MessageId).Order(), smtp.Received.Select(m => m.Message.MessageId).Order());
        await app.DisposeAsync();
        output.WriteLine($"{provider}: {load.Accepted.Count} accepted, {load.Outcomes.Count(o => o.Status == 0)} refused after SIGTERM; " +
            $"{sentBeforeRestart} emails sent before the exit, {owed.Count} in all, each once");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SIGTERM_during_a_webhook_batch_finishes_the_batch_and_sends_no_delivery_twice(DatabaseProvider provider)
    {
        // A receiver on loopback that takes its time while the app is stopped, so a batch is in flight.
        await using var receiver = await WebhookReceiver.StartAsync();
        var inFlight = 0;
        var slow = true;
        var url = receiver.NewUrl(async _ =>
        {
            Interlocked.Increment(ref inFlight);
            try
            {
                await Task.Delay(Volatile.Read(ref slow) ? 300 : 0);
                return 200;
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        var database = DatabaseProbe.NewDatabase(provider);
        var environment = AppEnvironment.For(database);
        environment["Webhooks__AllowPrivateNetworks"] = "true";
        environment["Webhooks__PollSeconds"] = "0.1";
        environment["Webhooks__BatchSize"] = "5";
        var admin = await AppEnvironment.CreateUserAsync(environment, Roles.Admin);
        await using var app = await AppProcess.StartAsync(environment);
        using (var client = await SignInAsync(app, admin))
        {
            var created = await client.PostAsJsonAsync("/api/v1/admin/webhooks",
                new { url, events = new[] { WebhookEvents.TicketCreated, WebhookEvents.TicketUpdated, WebhookEvents.TicketResolved } });
            await created.AssertStatusAsync(HttpStatusCode.Created);
        }
        await using var load = SubmissionLoad.Start(app.Address, workers: 3, "sigterm-webhooks");
        await load.WaitForAcceptedAsync(10);

        // SIGTERM while a post is in flight and the batch it belongs to holds more still to send.
        var claimed = await WaitForBatchInFlightAsync(database, () => Volatile.Read(ref inFlight) > 0);
        app.Terminate();
        await app.WaitForExitAsync();
        await load.StopAsync();
        Assert.True(app.ExitCode == 0, $"exit code {app.ExitCode}: {app.Output}");
        var atExit = await database.QueryAsync(db => db.WebhookDeliveries.AsNoTracking().ToDictionaryAsync(d => d.Id));
        var receivedBeforeExit = receiver.For(url).Select(DeliveryId).ToList();

        // The batch claimed at SIGTERM was finished before the exit: each sent and its outcome recorded.
        Assert.All(claimed, id => Assert.True(atExit[id] is { State: WebhookDeliveryState.Delivered, Attempts: 1 },
            $"{id}: {atExit[id].State} after {atExit[id].Attempts} attempts at the exit; {app.Output}"));
        Assert.Subset(receivedBeforeExit.ToHashSet(), claimed.ToHashSet());
        // Whatever the receiver got is recorded as delivered, so nothing is sent again; nothing is left
        // under a lease either, so what is owed goes out at the next start without waiting for one to end.
        Assert.All(receivedBeforeExit, id => Assert.Equal(WebhookDeliveryState.Delivered, atExit[id].State));
        Assert.All(atExit.Values, d => Assert.Null(d.LockedUntil));
        Assert.All(load.Outcomes, o => Assert.True(o.Status is 201 or 0, $"{o.Status}: {o.Body}"));

        // After a restart every delivery owed arrives, each exactly once; the finished batch is not sent again.
        Volatile.Write(ref slow, false);
        await using var restarted = await AppProcess.StartAsync(environment, app.Port);
        var all = await WaitUntilAllDeliveredAsync(database, receiver, url);
        var received = receiver.For(url).Select(DeliveryId).ToList();
        Assert.Equal(all.Select(d => d.Id).Order(), received.Order());
        Assert.All(claimed, id => Assert.Equal(1, all.Single(d => d.Id == id).Attempts));
        var tickets = await database.QueryAsync(db => db.Tickets.Select(t => t.Id).ToListAsync());
        Assert.Equal(tickets.Order(), all.Where(d => d.Event == WebhookEvents.TicketCreated).Select(d => d.TicketId).Order());
        output.WriteLine($"{provider}: {load.Accepted.Count} accepted; {claimed.Count} deliveries of the batch in flight at SIGTERM, " +
            $"{receivedBeforeExit.Count} delivered before the exit, {all.Count} in all, each once");
    }

    private static Guid DeliveryId(ReceivedHook hook) => Guid.Parse(hook.Headers["X-ContactDesk-Delivery"]);

    /// <summary>
    /// Waits until a post is in flight and the claimed batch (pending deliveries under a lease: the one
    /// being posted and those after it) holds at least one more; returns that batch.
    /// </summary>
    private static async Task<List<Guid>> WaitForBatchInFlightAsync(DatabaseProbe database, Func<bool> posting)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (posting())
            {
                var claimed = await database.QueryAsync(db => db.WebhookDeliveries
                    .Where(d => d.State == WebhookDeliveryState.Pending && d.LockedUntil != null).Select(d => d.Id).ToListAsync());
                if (claimed.Count >= 2 && posting())
                {
                    return claimed;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "No webhook batch of two or more was in flight within 60 s.");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until every queued delivery is recorded as delivered and the receiver got each; returns them.</summary>
    private static async Task<List<WebhookDelivery>> WaitUntilAllDeliveredAsync(DatabaseProbe database, WebhookReceiver receiver, string url, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var deliveries = await database.QueryAsync(db => db.WebhookDeliveries.AsNoTracking().ToListAsync());
            var received = receiver.For(url).Select(DeliveryId).ToHashSet();
            var waiting = deliveries.Count(d => d.State != WebhookDeliveryState.Delivered || !received.Contains(d.Id));
            if (waiting == 0)
            {
                return deliveries;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{waiting} of {deliveries.Count} webhook deliveries still owed after {seconds} s.");
            await Task.Delay(100);
        }
    }

    private static async Task<HttpClient> SignInAsync(AppProcess app, (string Email, string Password) user)
    {
        var client = app.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        var token = (string)(await login.ReadObjectAsync())["access_token"]!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task WaitUntilRefusedAsync(Uri address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address.Host), address.Port));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "New connections were still accepted 10 s after SIGTERM.");
            await Task.Delay(50);
        }
    }
}
