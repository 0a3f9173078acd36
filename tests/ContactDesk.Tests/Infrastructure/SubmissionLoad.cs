using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// Workers that submit the contact form back to back until stopped, through whatever happens to the
/// app meanwhile (a kill, a restart, a database outage), and record every answer: what was promised
/// (a 201 and its ticket) can then be checked against what was kept.
/// </summary>
public sealed class SubmissionLoad : IAsyncDisposable
{
    /// <param name="Status">The HTTP status; 0 when there was no answer (connection refused or cut).</param>
    public sealed record Outcome(int Status, TimeSpan Latency, string Email, Guid? TicketId, string? TicketNumber, string? Body);

    private readonly ConcurrentQueue<Outcome> outcomes = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] workers;

    private SubmissionLoad(Uri address, int workerCount, string label)
    {
        workers = [.. Enumerable.Range(0, workerCount).Select(w => Task.Run(() => WorkAsync(address, $"{label}-{w}")))];
    }

    public static SubmissionLoad Start(Uri address, int workers, string label) => new(address, workers, label);

    public IReadOnlyList<Outcome> Outcomes => [.. outcomes];

    public IReadOnlyList<Outcome> Accepted => [.. outcomes.Where(o => o.Status == 201)];

    /// <summary>Waits until <paramref name="count"/> more submissions than now have been accepted.</summary>
    public async Task WaitForAcceptedAsync(int count, int seconds = 60)
    {
        var target = Accepted.Count + count;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Accepted.Count < target)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {Accepted.Count} of {target} submissions accepted within {seconds} s; statuses: {Summary()}");
            await Task.Delay(20);
        }
    }

    public string Summary() => string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"));

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        stop.Dispose();
    }

    private async Task WorkAsync(Uri address, string worker)
    {
        // A connection per request: a kill must not leave the worker holding a dead pooled connection.
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var email = $"{worker}-{i}-{Guid.NewGuid():N}@example.com";
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.PostAsJsonAsync("/api/v1/contact/submit",
                    new { name = $"Load {worker}", email, subject = $"Load {worker} #{i}", message = "Sent while things break." }, stop.Token);
                var body = await response.Content.ReadAsStringAsync(stop.Token);
                Guid? id = null;
                string? number = null;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var ticket = JsonNode.Parse(body)!;
                    id = Guid.Parse((string)ticket["id"]!);
                    number = (string)ticket["ticket_number"]!;
                }
                outcomes.Enqueue(new Outcome((int)response.StatusCode, clock.Elapsed, email, id, number, body));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return; // stopped mid-request: its outcome is unknown and not counted
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                outcomes.Enqueue(new Outcome(0, clock.Elapsed, email, null, null, e.Message));
                try
                {
                    await Task.Delay(50, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
