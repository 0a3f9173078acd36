using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactDesk.Data;

public static class DatabaseSetup
{
    public const string DefaultConnectionString = "Data Source=data/contactdesk.db";

    /// <summary>
    /// Registers <see cref="AppDbContext"/> as the provider chosen by <c>Database:Provider</c>;
    /// everything else asks for <see cref="AppDbContext"/> and never knows which it got. The choice
    /// and the connection string are read when a context is first made, not at registration.
    /// </summary>
    public static IServiceCollection AddContactDeskDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Pooled: a request reuses a context and its internal services instead of building them anew.
        services.AddDbContextPool<PostgresAppDbContext>((sp, o) =>
            o.UsePostgresProvider(ConnectionString(sp)).AddInterceptors(Interceptors(sp)));
        services.AddDbContextPool<SqliteAppDbContext>((sp, o) =>
            o.UseSqliteProvider(ConnectionString(sp)).AddInterceptors(Interceptors(sp)));
        services.AddScoped<AppDbContext>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresAppDbContext>()
                : sp.GetRequiredService<SqliteAppDbContext>());
        return services;
    }

    private static string ConnectionString(IServiceProvider sp) =>
        sp.GetRequiredService<IConfiguration>().GetConnectionString("Default") is { Length: > 0 } cs ? cs : DefaultConnectionString;

    public static DbContextOptionsBuilder UseSqliteProvider(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString).UseSnakeCaseNamingConvention().ConfigureWarnings(SkipPendingModelCheck);

    public static DbContextOptionsBuilder UsePostgresProvider(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(WithAppDefaults(connectionString)).UseSnakeCaseNamingConvention().ConfigureWarnings(SkipPendingModelCheck);

    /// <summary>
    /// The connection string with the app's defaults for what it does not set itself.
    /// <c>Timeout</c> (connect, <see cref="DefaultConnectTimeoutSeconds"/>): a server that is gone
    /// without refusing (a partition, a frozen host) makes every request wait this long before its
    /// 503, so it is short and the API answers rather than hangs.
    /// Session settings in <c>Options</c>: work_mem, as a search for a common word reads a bitmap of
    /// up to every page of the tickets, which with the default 4 MB turns lossy and each row of a
    /// lossy page is tokenized again (seconds instead of a tenth); no parallel workers, as starting
    /// them costs more than the app's short queries take and many requests at once use the cores
    /// anyway; no JIT, as compiling a large query takes tens of milliseconds the query itself does not.
    /// <c>Max Auto Prepare</c> (<see cref="DefaultMaxAutoPrepare"/>): the app sends the same few dozen
    /// statements over and over, so each pooled connection keeps the ones it has sent twice prepared
    /// and PostgreSQL skips parsing and planning them; set <c>Max Auto Prepare=0</c> behind a pooler
    /// that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
    /// </summary>
    private static string WithAppDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = DefaultConnectTimeoutSeconds;
        }
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }
        foreach (var (name, value) in SessionDefaults)
        {
            if (builder.Options?.Contains(name, StringComparison.OrdinalIgnoreCase) != true)
            {
                builder.Options = $"{builder.Options} -c {name}={value}".Trim();
            }
        }
        return builder.ConnectionString;
    }

    private static readonly (string Name, string Value)[] SessionDefaults =
        [("work_mem", "32MB"), ("max_parallel_workers_per_gather", "0"), ("jit", "off")];

    // Migrate() would otherwise build the last migration's model and diff it against the app's at
    // every start (a tenth of the start-up's CPU); MigrationTests make the same check once, in CI.
    private static void SkipPendingModelCheck(WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(RelationalEventId.PendingModelChangesWarning);

    /// <summary>Seconds to wait for a PostgreSQL connection when the connection string does not say (Npgsql's own default is 15).</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>Statements each PostgreSQL connection keeps prepared when the connection string does not say (Npgsql's own default is none).</summary>
    public const int DefaultMaxAutoPrepare = 200;

    /// <summary>Applies pending migrations; EF Core holds a database-wide lock so instances may race here.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db is SqliteAppDbContext)
        {
            EnsureSqliteFolder(db.Database.GetConnectionString()!);
        }
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
