using System.Data.Common;
using ContactDesk.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Live;

/// <summary>
/// SQLite's stand-in for NOTIFY: pokes the <see cref="LiveFeed"/> once an audit entry is committed,
/// that is after SaveChanges outside a transaction or when the surrounding transaction commits.
/// (On PostgreSQL the trigger's NOTIFY does this, for every instance.)
/// </summary>
public sealed class LiveSaveInterceptor(LiveFeed feed) : SaveChangesInterceptor, IDbTransactionInterceptor
{

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    private void Saved(DbContext? db)
    {
        if (db is not null && db.Database.IsSqlite() && db.Database.CurrentTransaction is null
            && db.ChangeTracker.Entries<AuditEntry>().Any())
        {
            feed.Poke();
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context?.Database.IsSqlite() == true)
        {
            feed.Poke();
        }
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context?.Database.IsSqlite() == true)
        {
            feed.Poke();
        }
    }
}
