using ContactDesk.Data;
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
        sqlite.UseSqliteProvider(connectionString);
        return new SqliteAppDbContext(sqlite.Options);
    }

    /// <summary>A connection string for a new, empty database of the provider (the app creates it on start).</summary>
    public static DatabaseProbe NewDatabase(DatabaseProvider provider) => new(provider, provider == DatabaseProvider.Postgres
        ? PostgresServer.Instance.ConnectionString($"contactdesk_{Guid.NewGuid():N}")
        : $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("contactdesk-fault-").FullName, "contactdesk.db")}");
}
