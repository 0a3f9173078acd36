using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Inbound;

/// <summary>
/// Processes stored inbound emails, oldest first: those just stored (woken by the store) and any a
/// crash left <c>received</c>. Rows are claimed with a lease (SKIP LOCKED on PostgreSQL), so several
/// instances share the work; the conditional finish in <see cref="InboundProcessor"/> keeps each
/// message applied once even if a lease runs out. A claimed batch is processed several messages to
/// a transaction (<see cref="InboundProcessor.ProcessAllAsync"/>); if one fails, the rest one message
/// at a time, so that a bad message fails alone.
/// </summary>
public sealed class InboundWorker(IServiceScopeFactory scopes, InboundSignal signal, InboundWriteGate gate, TimeProvider clock, ILogger<InboundWorker> log)
    : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield(); // let the host finish starting
        var databaseDown = false;
        while (!stopping.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await ProcessBatchAsync(stopping);
                databaseDown = false;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
            {
                if (!databaseDown)
                {
                    log.LogWarning("The database is unavailable ({Error}); inbound email waits until it is back.", e.GetBaseException().Message);
                    databaseDown = true;
                }
            }
            catch (Exception e)
            {
                log.LogError(e, "Inbound processing failed; trying again shortly.");
            }
            if (claimed < BatchSize)
            {
                try
                {
                    await signal.WaitAsync(Poll, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Claims and processes one batch; returns how many it claimed.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken ct)
    {
        List<Guid> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            ids = await gate.RunAsync(db, () => db.Database.SqlQueryRaw<Guid>(ClaimSql(db), now.Add(Lease), now, BatchSize).ToListAsync(ct), ct);
        }
        var claimed = ids.Count;
        if (ids.Count > 1 && await ProcessTogetherAsync(ids, ct))
        {
            return claimed;
        }
        foreach (var id in ids)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var row = await db.InboundEmails.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.State == InboundState.Received, ct);
            if (row is null)
            {
                continue;
            }
            try
            {
                await gate.RunAsync(db, () => scope.ServiceProvider.GetRequiredService<InboundProcessor>().ProcessAsync(row, ct), ct);
            }
            catch (Exception e) when (!DatabaseFaults.IsUnavailable(e) && e is not OperationCanceledException)
            {
                // The message's fault (or a bug it finds): kept as failed for an admin, not retried for ever.
                log.LogError(e, "Inbound email {Id} could not be ingested.", id);
                await using var failScope = scopes.CreateAsyncScope();
                await failScope.ServiceProvider.GetRequiredService<AppDbContext>().InboundEmails
                    .Where(x => x.Id == id && x.State == InboundState.Received)
                    .ExecuteUpdateAsync(x => x.SetProperty(r => r.State, InboundState.Failed)
                        .SetProperty(r => r.Error, Truncate(e.GetBaseException().Message, 2000)).SetProperty(r => r.LockedUntil, (DateTime?)null), ct);
            }
        }
        return claimed;
    }

    /// <summary>
    /// The batch in as few transactions as its time allows; false when one failed (and left nothing
    /// of it), and <paramref name="ids"/> is then what is left, to be taken one at a time.
    /// </summary>
    private async Task<bool> ProcessTogetherAsync(List<Guid> ids, CancellationToken ct)
    {
        while (ids.Count > 0)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var processor = scope.ServiceProvider.GetRequiredService<InboundProcessor>();
                var left = await gate.RunAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                    () => processor.ProcessAllAsync(ids, clock.GetUtcNow().UtcDateTime.Add(Lease), ct), ct);
                ids.RemoveAll(id => !left.Contains(id));
            }
            catch (Exception e) when (!DatabaseFaults.IsUnavailable(e) && e is not OperationCanceledException)
            {
                // Most likely one message's fault: alone, it is kept as failed and the others go in.
                log.LogInformation("A batch of {Count} inbound emails failed together ({Error}); taking them one at a time.", ids.Count, e.GetBaseException().Message);
                return false;
            }
        }
        return true;
    }

    /// <summary>Parameters: {0} lease end, {1} now, {2} batch size. Built from constants only.</summary>
    private static string ClaimSql(AppDbContext db) => $$"""
        UPDATE inbound_emails SET locked_until = {0}
        WHERE id IN (
            SELECT id FROM inbound_emails
            WHERE state = 'received' AND (locked_until IS NULL OR locked_until < {1})
            ORDER BY received_at
            LIMIT {2}
            {{(db.Database.IsNpgsql() ? "FOR UPDATE SKIP LOCKED" : "")}})
        RETURNING id AS "Value"
        """;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
