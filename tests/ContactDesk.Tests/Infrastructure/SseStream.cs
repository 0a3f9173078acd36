using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A client of <c>/admin/events</c> as a browser's EventSource is: it reads the stream as it
/// arrives and, to reconnect, sends the last event id it saw as <c>Last-Event-ID</c>.
/// </summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<SseItem<string>> items = Channel.CreateUnbounded<SseItem<string>>();
    private readonly Task pump;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in SseParser.Create(body).EnumerateAsync(stop.Token))
                {
                    items.Writer.TryWrite(item);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                // closed by us, or the server went away (a restart)
            }
            finally
            {
                items.Writer.TryComplete();
            }
        });
    }

    /// <summary>The id of the last event with one, what a reconnect sends.</summary>
    public string? LastEventId { get; private set; }

    public static async Task<SseStream> OpenAsync(HttpClient client, string path = "/admin/events", string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = new SseStream(response, await response.Content.ReadAsStreamAsync());
        await stream.NextAsync(e => e.Type == "ready");
        return stream;
    }

    public sealed record Event(string Type, string? Id, JsonObject? Data);

    /// <summary>The next event that <paramref name="match"/>es (skipping others), within <paramref name="seconds"/>.</summary>
    public async Task<Event> NextAsync(Func<Event, bool> match, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var item = await items.Reader.ReadAsync(timeout.Token);
                var e = new Event(item.EventType, item.EventId, string.IsNullOrEmpty(item.Data) ? null : JsonNode.Parse(item.Data) as JsonObject);
                LastEventId = e.Id ?? LastEventId;
                if (match(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"No matching event within {seconds} s.");
        }
        catch (ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException("The stream ended before a matching event.");
        }
    }

    /// <summary>The next ticket event for <paramref name="ticketId"/> with <paramref name="action"/>.</summary>
    public Task<Event> TicketEventAsync(Guid ticketId, string action, int seconds = 10) =>
        NextAsync(e => e.Type == "ticket" && (string?)e.Data?["ticket_id"] == ticketId.ToString() && (string?)e.Data?["action"] == action, seconds);

    /// <summary>Waits for the server to end the stream (as it does when the app stops); false when it did not within <paramref name="seconds"/>.</summary>
    public async Task<bool> EndedAsync(int seconds)
    {
        var ended = await Task.WhenAny(pump, Task.Delay(TimeSpan.FromSeconds(seconds))) == pump;
        return ended;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        response.Dispose();
        await pump;
        stop.Dispose();
    }
}
