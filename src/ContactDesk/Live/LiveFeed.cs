using System.Threading.Channels;
using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactDesk.Live;

/// <summary>
/// Turns committed changes into <see cref="LiveEvent"/>s for this instance's <see cref="LiveHub"/>.
/// On PostgreSQL an AFTER INSERT trigger on <c>audit_entries</c> sends <c>NOTIFY</c> in the
/// change's own transaction (delivered at commit, never for a rollback), which reaches every
/// instance's listening connection (<see cref="PostgresListener"/>); on SQLite (one instance)
/// <see cref="LiveSaveInterceptor"/> pokes this feed after each commit.
/// </summary>
public sealed class LiveFeed(IServiceScopeFactory scopes, LiveHub hub, IOptions<DatabaseOptions> database, IConfiguration configuration,
    ILogger<LiveFeed> log) : BackgroundService
{
    public const string Channel = "contactdesk_live";

    /// <summary>What wakes the feed: a poke (read what is new), an audit id (PostgreSQL) or a ticket whose presence changed.</summary>
    private readonly Channel<Signal> signals = System.Threading.Channels.Channel.CreateUnbounded<Signal>(new() { SingleReader = true });

    /// <summary>The highest audit id published; what a poke reads after.</summary>
    private long published = -1;

    private readonly Queue<long> recent = new();
    private readonly HashSet<long> recentIds = [];

    public bool IsPostgres => database.Value.Provider == DatabaseProvider.Postgres;

    /// <summary>Something was committed (SQLite): read the trail after the last published entry.</summary>
    public void Poke() => signals.Writer.TryWrite(new Signal(null, null));

    internal void Notified(string payload)
    {
        if (payload.StartsWith("a:", StringComparison.Ordinal) && long.TryParse(payload.AsSpan(2), out var id))
        {
            signals.Writer.TryWrite(new Signal(id, null));
        }
        else if (payload.StartsWith("p:", StringComparison.Ordinal) && Guid.TryParse(payload.AsSpan(2), out var ticket))
        {
            signals.Writer.TryWrite(new Signal(null, ticket));
        }
    }

    /// <summary>Tells every instance that the presence on <paramref name="ticketId"/> changed.</summary>
    public async Task AnnouncePresenceAsync(AppDbContext db, Guid ticketId, CancellationToken ct)
    {
        if (IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_notify({0}, {1})", [Channel, $"p:{ticketId}"], ct);
        }
        else
        {
            hub.Publish(LiveEvent.Presence(ticketId));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        // Start after what is already there: history is for Last-Event-ID, not for every new instance.
        while (published < 0 && !ct.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                published = await db.AuditEntries.MaxAsync(a => (long?)a.Id, ct) ?? 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "The live feed cannot read the audit trail yet; retrying.");
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
            }
        }
        var listener = IsPostgres ? new PostgresListener(ConnectionString(), this, log).RunAsync(ct) : Task.CompletedTask;
        try
        {
            await DispatchAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        await listener;
    }

    private async Task DispatchAsync(CancellationToken ct)
    {
        while (await signals.Reader.WaitToReadAsync(ct))
        {
            var poke = false;
            var ids = new List<long>();
            var presence = new HashSet<Guid>();
            while (signals.Reader.TryRead(out var signal))
            {
                if (signal.AuditId is { } id) ids.Add(id);
                else if (signal.Ticket is { } ticket) presence.Add(ticket);
                else poke = true;
            }
            foreach (var ticket in presence)
            {
                hub.Publish(LiveEvent.Presence(ticket));
            }
            try
            {
                await PublishAsync(poke, ids, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away: these events are in the trail, and pages catch up when they reconnect.
                log.LogWarning(e, "The live feed could not read {Count} audit entries.", ids.Count);
            }
        }
    }

    private async Task PublishAsync(bool poke, List<long> ids, CancellationToken ct)
    {
        if (!poke && ids.Count == 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var after = published;
        // By id for what PostgreSQL notified: transactions commit out of id order, so "after the
        // last one" could skip an entry that commits late. A poke (SQLite: one writer, ids commit in
        // order; or PostgreSQL's listener reconnected) reads everything after the last published.
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => ids.Contains(a.Id) || (poke && a.Id > after))
            .OrderBy(a => a.Id).Take(1000).ToListAsync(ct);
        foreach (var entry in entries.Where(e => Remember(e.Id)))
        {
            hub.Publish(LiveEvent.Of(entry));
            published = Math.Max(published, entry.Id);
        }
    }

    /// <summary>False for an id published already (a poke and its NOTIFY may both bring it).</summary>
    private bool Remember(long id)
    {
        if (!recentIds.Add(id))
        {
            return false;
        }
        recent.Enqueue(id);
        if (recent.Count > 10_000)
        {
            recentIds.Remove(recent.Dequeue());
        }
        return true;
    }

    private string ConnectionString() =>
        configuration.GetConnectionString("Default") is { Length: > 0 } cs ? cs : DatabaseSetup.DefaultConnectionString;

    private readonly record struct Signal(long? AuditId, Guid? Ticket);
}
