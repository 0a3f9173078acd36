using ContactDesk.Data;
using ContactDesk.Moderation;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactDesk.Privacy;

/// <summary>
/// Archives resolved tickets and deletes archived ones once they are old enough (<c>Retention:*</c>),
/// at start and then every <see cref="RetentionOptions.IntervalMinutes"/>. Safe on every instance at
/// once: each ticket is changed with its version in the WHERE, so of two instances exactly one acts
/// and the other skips it. Archiving goes through the editing path (an <c>archived</c> history entry,
/// no actor).
/// </summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(settings.IntervalMinutes), clock);
        try
        {
            do
            {
                try
                {
                    var (archived, deleted) = await RunOnceAsync(stopping);
                    if (archived + deleted > 0)
                    {
                        log.LogInformation("Retention: archived {Archived} and deleted {Deleted} tickets.", archived, deleted);
                    }
                }
                catch (Exception e) when (!stopping.IsCancellationRequested && DatabaseFaults.IsUnavailable(e))
                {
                    log.LogDebug("Retention waits for the database: {Error}", e.GetBaseException().Message);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    log.LogWarning(e, "Retention failed; trying again in {Minutes} min.", settings.IntervalMinutes);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>One pass over every ticket due: returns how many this instance archived and deleted.</summary>
    public async Task<(int Archived, int Deleted)> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var archived = settings.ArchiveResolvedAfterDays > 0 ? await ArchiveAsync(now.AddDays(-settings.ArchiveResolvedAfterDays), settings.BatchSize, ct) : 0;
        var deleted = settings.DeleteArchivedAfterDays > 0 ? await DeleteAsync(now.AddDays(-settings.DeleteArchivedAfterDays), settings.BatchSize, ct) : 0;
        return (archived, deleted);
    }

    private Task<int> ArchiveAsync(DateTime resolvedBefore, int batchSize, CancellationToken ct) =>
        InBatchesAsync(
            db => db.Tickets.Where(t => t.Status == TicketStatus.Resolved && (t.ResolvedAt ?? t.UpdatedAt) <= resolvedBefore)
                .OrderBy(t => t.UpdatedAt).Select(t => t.Id),
            // Checked again on the row as saved: a ticket reopened meanwhile is left alone.
            async (services, id) => await services.GetRequiredService<TicketEditor>().EditAsync(id,
                t => t.Status == TicketStatus.Resolved && (t.ResolvedAt ?? t.UpdatedAt) <= resolvedBefore ? TicketActions.Archive(t) : new TicketActions.Unchanged(),
                ifMatch: null, ct) is TicketEditor.Done { Changed: true },
            batchSize, ct);

    private Task<int> DeleteAsync(DateTime archivedBefore, int batchSize, CancellationToken ct) =>
        InBatchesAsync(
            db => db.Tickets.Where(t => t.Status == TicketStatus.Archived && t.UpdatedAt <= archivedBefore).OrderBy(t => t.UpdatedAt).Select(t => t.Id),
            (services, id) => services.GetRequiredService<TicketRemoval>().DeleteAsync(id, t => t.Status == TicketStatus.Archived && t.UpdatedAt <= archivedBefore, ct),
            batchSize, ct);

    /// <summary>
    /// Reads a batch of the tickets <paramref name="due"/>, acts on each, and goes on while a full
    /// batch was found and something was done (a batch that other instances took entirely ends it).
    /// </summary>
    private async Task<int> InBatchesAsync(Func<AppDbContext, IQueryable<Guid>> due, Func<IServiceProvider, Guid, Task<bool>> act, int batchSize, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var ids = await due(scope.ServiceProvider.GetRequiredService<AppDbContext>()).Take(batchSize).ToListAsync(ct);
            var done = 0;
            foreach (var id in ids)
            {
                done += await act(scope.ServiceProvider, id) ? 1 : 0;
            }
            total += done;
            if (ids.Count < batchSize || done == 0)
            {
                return total;
            }
        }
    }
}
