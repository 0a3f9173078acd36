using System.Net;
using System.Net.Sockets;
using System.Text;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContactDesk.Tests.Operations;

/// <summary>
/// SIGTERM, as a container engine or systemd stops the app: it refuses new connections at once,
/// answers every request it had begun, sends no email twice, and exits with code 0.
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
