using ContactDesk.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The app's database opened by the test itself, to check from outside what an app process (or
/// several) stored: no app, no interceptors, read-only use.
/// </summary>
public sealed class DatabaseProbe(DatabaseProvider provider, string connectionString)
{
    public DatabaseProvider Provider => provider;

    public string ConnectionString => connectionString;

    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = Open();
        return await query(db);
    }

    private AppDbContext Open()
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var options = new DbContextOptionsBuilder<PostgresAppDbContext>();
            options.UsePostgresProvider(connectionString);
            return new PostgresAppDbContext(options.Options);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteAppDbContext>();
        // Unpooled: the test must not keep the file open behind the app's back (a remount needs it closed).
        sqlite.UseSqliteProvider(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        return new SqliteAppDbContext(sqlite.Options);
    }

    /// <summary>SQLite's own check of every page and index: "ok", or what is broken.</summary>
    public async Task<string> IntegrityCheckAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A connection string for a new, empty database of the provider (the app creates it on start).</summary>
    public static DatabaseProbe NewDatabase(DatabaseProvider provider) => new(provider, provider == DatabaseProvider.Postgres
        ? PostgresServer.Instance.ConnectionString($"contactdesk_{Guid.NewGuid():N}")
        : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("contactdesk-fault-").FullName, "contactdesk.db")}");
}
