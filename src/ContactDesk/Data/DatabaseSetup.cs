using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Data;

public static class DatabaseSetup
{
    public const string DefaultConnectionString = "Data Source=data/contactdesk.db";

    /// <summary>
    /// Registers <see cref="AppDbContext"/> as the provider chosen by <c>Database:Provider</c>;
    /// everything else asks for <see cref="AppDbContext"/> and never knows which it got.
    /// </summary>
    public static IServiceCollection AddContactDeskDatabase(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = config.GetValue(DatabaseOptions.Section + ":Provider", DatabaseProvider.Sqlite);
        var connectionString = config.GetConnectionString("Default") is { Length: > 0 } cs ? cs : DefaultConnectionString;

        if (provider == DatabaseProvider.Postgres)
        {
            services.AddDbContext<AppDbContext, PostgresAppDbContext>((sp, o) =>
                o.UsePostgresProvider(connectionString).AddInterceptors(Interceptors(sp)));
        }
        else
        {
            EnsureSqliteFolder(connectionString);
            services.AddDbContext<AppDbContext, SqliteAppDbContext>((sp, o) =>
                o.UseSqliteProvider(connectionString).AddInterceptors(Interceptors(sp)));
        }
        return services;
    }

    public static DbContextOptionsBuilder UseSqliteProvider(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString).UseSnakeCaseNamingConvention();

    public static DbContextOptionsBuilder UsePostgresProvider(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();

    /// <summary>Applies pending migrations; EF Core holds a database-wide lock so instances may race here.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync(ct);
        if (db is SqliteAppDbContext)
        {
            // WAL lets readers work while a writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    private static IInterceptor[] Interceptors(IServiceProvider sp) =>
        sp.GetServices<IInterceptor>().ToArray();

    private static void EnsureSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
    }
}
