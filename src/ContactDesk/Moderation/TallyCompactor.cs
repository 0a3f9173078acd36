using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Moderation;

/// <summary>
/// Keeps <c>ticket_tallies</c> small: every few seconds, once changes have piled up, the rows are
/// folded into one per cell, so reading the counts stays a sum over a few dozen rows. Safe to run
/// on every instance at once.
/// </summary>
public sealed class TallyCompactor(IServiceScopeFactory scopes, ILogger<TallyCompactor> log) : BackgroundService
{
    /// <summary>About the number of cells (4 statuses x 7 categories x assigned or not) plus some slack.</summary>
    public const int FoldAbove = 100;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await CompactIfNeededAsync(stopping);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested && DatabaseFaults.IsUnavailable(e))
                {
                    // An outage: the requests and the email dispatcher report it already.
                    log.LogDebug("Compacting ticket_tallies waits for the database: {Error}", e.GetBaseException().Message);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    log.LogWarning(e, "Compacting ticket_tallies failed; trying again in {Seconds} s.", Interval.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public async Task<int> CompactIfNeededAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.TicketTallies.CountAsync(ct) <= FoldAbove)
        {
            return 0;
        }
        return await db.CompactTalliesAsync(ct);
    }
}
