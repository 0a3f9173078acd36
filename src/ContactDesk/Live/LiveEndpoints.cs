using System.Net.ServerSentEvents;
using System.Threading.Channels;
using ContactDesk.Data;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Live;

/// <summary>
/// The admin pages' live channel (cookie sign-in, like the pages): <c>GET /admin/events</c>, a
/// Server-Sent Events stream, and <c>POST /admin/contact/{id}/presence</c>, the ticket page's heartbeat.
/// </summary>
public static class LiveEndpoints
{
    /// <summary>A comment-like event when nothing happened, so proxies and the browser see the stream alive.</summary>
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(25);

    /// <summary>More missed events than this, and the page is told to reload what it shows instead.</summary>
    private const int BacklogMax = 1000;

    public static WebApplication MapLiveEndpoints(this WebApplication app)
    {
        app.MapGet("/admin/events", Events).RequireAuthorization(Roles.ModeratorPagesPolicy).ExcludeFromDescription();
        app.MapPost("/admin/contact/{id:guid}/presence", BeatAsync).RequireAuthorization(Roles.ModeratorPagesPolicy)
            .DisableAntiforgery() // checked in the handler, against the page's own token
            .ExcludeFromDescription();
        return app;
    }

    /// <param name="after">The newest event the page was rendered with; <c>Last-Event-ID</c> (a reconnect) wins over it.</param>
    private static ServerSentEventsResult<LiveEvent?> Events(HttpContext http, LiveHub hub, IServiceScopeFactory scopes,
        IHostApplicationLifetime lifetime, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, long? after)
    {
        var from = long.TryParse(lastEventId, out var last) ? last : after;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.ServerSentEvents(StreamAsync(from, hub, scopes, lifetime.ApplicationStopping, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<LiveEvent?>> StreamAsync(long? from, LiveHub hub, IServiceScopeFactory scopes,
        CancellationToken stopping, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken aborted = default)
    {
        // The stream ends when the app stops, so a restart is not held up by open pages; they reconnect.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        // Subscribed before the backlog is read: nothing committed in between is lost, duplicates are skipped.
        using var subscription = hub.Subscribe();
        yield return new SseItem<LiveEvent?>(null, LiveEvent.ReadyType) { ReconnectionInterval = TimeSpan.FromSeconds(1) };

        var backlog = from is { } since ? await BacklogAsync(scopes, since, stop.Token) : [];
        if (backlog is null)
        {
            yield return new SseItem<LiveEvent?>(null, LiveEvent.ResetType);
            backlog = [];
        }
        var sent = new HashSet<long>();
        foreach (var e in backlog)
        {
            sent.Add(e.Id!.Value);
            yield return Item(e);
        }

        var reader = subscription.Reader;
        while (await WaitAsync(reader, stop.Token) is { } ready)
        {
            if (!ready)
            {
                yield return new SseItem<LiveEvent?>(null, LiveEvent.PingType);
                continue;
            }
            while (reader.TryRead(out var e))
            {
                if (e.Id is { } id && sent.Contains(id))
                {
                    continue; // replayed from the backlog already
                }
                yield return Item(e);
            }
        }
    }

    private static SseItem<LiveEvent?> Item(LiveEvent e) => e.Id is { } id
        ? new SseItem<LiveEvent?>(e, LiveEvent.TicketType) { EventId = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }
        : new SseItem<LiveEvent?>(e, LiveEvent.PresenceType);

    /// <summary>The trail after <paramref name="since"/>, oldest first; null when there is more than a page should replay.</summary>
    private static async Task<List<LiveEvent>?> BacklogAsync(IServiceScopeFactory scopes, long since, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Id > since).OrderBy(a => a.Id).Take(BacklogMax + 1).ToListAsync(ct);
        return entries.Count > BacklogMax ? null : entries.Select(LiveEvent.Of).ToList();
    }

    /// <summary>True: events to read; false: idle for <see cref="PingInterval"/>; null: the stream is over.</summary>
    private static async Task<bool?> WaitAsync(ChannelReader<LiveEvent> reader, CancellationToken stop)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        idle.CancelAfter(PingInterval);
        try
        {
            return await reader.WaitToReadAsync(idle.Token) ? true : null;
        }
        catch (OperationCanceledException)
        {
            return stop.IsCancellationRequested ? null : false;
        }
    }

    /// <summary>The ticket page's heartbeat (form fields <c>typing</c>, <c>leaving</c>, and the page's antiforgery token).</summary>
    private static async Task<Results<Ok<PresenceOut>, BadRequest>> BeatAsync(Guid id, HttpContext http, IAntiforgery antiforgery,
        PresenceStore presence, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http) || !http.Request.HasFormContentType)
        {
            return TypedResults.BadRequest();
        }
        var form = await http.Request.ReadFormAsync(ct);
        var user = http.User;
        var others = await presence.BeatAsync(id, user.GetId(), user.FindName() ?? "A colleague",
            form["typing"] == "true", form["leaving"] == "true", ct);
        return TypedResults.Ok(new PresenceOut(others));
    }

    public sealed record PresenceOut(IReadOnlyList<PresenceStore.Viewer> Viewers);
}
