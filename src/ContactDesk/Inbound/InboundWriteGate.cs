using ContactDesk.Data;

namespace ContactDesk.Inbound;

/// <summary>
/// SQLite has one writer at a time, and Microsoft.Data.Sqlite meets a held write lock by sleeping
/// 150 ms before it tries again. During a backlog the IMAP reader and the processor both write all
/// the time, so on SQLite they take turns here instead of sleeping into each other. On PostgreSQL
/// there is no gate: they work side by side.
/// </summary>
public sealed class InboundWriteGate
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<T> RunAsync<T>(AppDbContext db, Func<Task<T>> write, CancellationToken ct)
    {
        if (db is not SqliteAppDbContext)
        {
            return await write();
        }
        await gate.WaitAsync(ct);
        try
        {
            return await write();
        }
        finally
        {
            gate.Release();
        }
    }

    public Task RunAsync(AppDbContext db, Func<Task> write, CancellationToken ct) =>
        RunAsync(db, async () =>
        {
            await write();
            return true;
        }, ct);
}
