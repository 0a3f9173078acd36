using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactDesk.Data;

/// <summary>Tells a database that cannot take work right now (an outage) from a bug.</summary>
public static class DatabaseFaults
{
    /// <summary>
    /// A transient database failure, found anywhere in the chain: EF Core wraps the driver's
    /// exception (DbUpdateException; an InvalidOperationException from the execution strategy).
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is NpgsqlException { IsTransient: true } or TimeoutException
                || exception is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown }
                || exception is SqliteException sqlite && StorageFaults.Contains(sqlite.SqliteErrorCode))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// SQLite's answers when the file cannot be written for now (disk full, read-only, I/O error,
    /// cannot open, locked past the busy timeout): the request may succeed once the operator or
    /// the other writer is done, and SQLite has rolled the transaction back, so nothing is half
    /// stored. <c>PostgresException.IsTransient</c> leaves out a server shutting down (57P01/57P02),
    /// which is what a restart or a crash of PostgreSQL looks like to a query in flight.
    /// </summary>
    private static readonly int[] StorageFaults =
    [
        5,  // SQLITE_BUSY
        6,  // SQLITE_LOCKED
        8,  // SQLITE_READONLY
        10, // SQLITE_IOERR
        13, // SQLITE_FULL
        14, // SQLITE_CANTOPEN
    ];
}
