using System.Diagnostics.Metrics;
using ContactDesk.Data;
using ContactDesk.Notifications;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Operations;

/// <summary>
/// The outbox's pending emails for the <c>contactdesk.emails.pending</c> gauge. A scrape never waits
/// for the database: it reads the last count, and when that is older than <see cref="MaxAge"/> starts
/// one refresh in the background (an index range over the pending rows only, at most once per
/// <see cref="MaxAge"/> however often and by how many scrapers it is read).
/// </summary>
public sealed class PendingEmailCount(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PendingEmailCount> log)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private long count = -1;
    private long refreshedAt;
    private int refreshing;

    public IEnumerable<Measurement<long>> Observe()
    {
        var last = Interlocked.Read(ref count);
        var stale = last < 0 || clock.GetElapsedTime(Interlocked.Read(ref refreshedAt)) > MaxAge;
        if (stale && Interlocked.Exchange(ref refreshing, 1) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }
        // Nothing until the first count is in: a made-up zero would read as "the outbox is empty".
        return last < 0 ? [] : [new Measurement<long>(last)];
    }

    /// <summary>Counts now (also the first time, so the first scrape after start-up has a figure soon after).</summary>
    public async Task RefreshAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Interlocked.Exchange(ref count, await db.OutboxEmails.LongCountAsync(e => e.State == EmailState.Pending));
            Interlocked.Exchange(ref refreshedAt, clock.GetTimestamp());
        }
        catch (Exception e)
        {
            // An outage: the gauge keeps its last figure; the requests and the sender report the outage.
            log.LogDebug("Counting pending emails failed: {Error}", e.GetBaseException().Message);
        }
        finally
        {
            Interlocked.Exchange(ref refreshing, 0);
        }
    }
}
