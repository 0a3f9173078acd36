using System.Data.Common;
using ContactDesk.Data;
using ContactDesk.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactDesk.Hosting;

/// <summary>
/// Runs before the server takes requests: applies migrations and loads the token signing key.
/// A hosted service so that tests' hosts (WebApplicationFactory) run it too.
/// </summary>
public sealed class StartupTasks(IServiceProvider services, JwtTokens tokens, IOptions<DatabaseOptions> database,
    IConfiguration configuration, ILogger<StartupTasks> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            await PrepareAsync(ct);
        }
        catch (StartupFailedException e)
        {
            log.LogCritical(e.InnerException, "{Message}", e.Message);
            throw;
        }
    }

    /// <summary>
    /// Migrations and the signing key, for the server and for the <c>users</c> command alike. A
    /// read-only file, a full disk or an unreachable server is a <see cref="StartupFailedException"/>
    /// that says so in one line, rather than a stack trace for the operator to read.
    /// </summary>
    public async Task PrepareAsync(CancellationToken ct)
    {
        try
        {
            await services.MigrateDatabaseAsync(ct);
            await using var scope = services.CreateAsyncScope();
            await tokens.LoadKeyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), ct);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw new StartupFailedException(Describe(e), e);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>What failed, where, and what to check; never the connection string (it may hold a password).</summary>
    private string Describe(Exception e)
    {
        var reason = e.GetBaseException().Message.TrimEnd('.') + ".";
        var connectionString = configuration.GetConnectionString("Default") is { Length: > 0 } cs ? cs : DatabaseSetup.DefaultConnectionString;
        if (database.Value.Provider == DatabaseProvider.Postgres)
        {
            var server = new NpgsqlConnectionStringBuilder(connectionString);
            return $"Cannot start: the PostgreSQL database '{server.Database}' on {server.Host}:{server.Port} could not be prepared: {reason} " +
                "Check that the server is running and reachable and that the role may connect and create tables.";
        }
        var file = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        return $"Cannot start: the SQLite database {file} could not be prepared: {reason} " +
            "Check that the file and its folder are writable and that the disk has free space.";
    }
}

/// <summary>The database could not be prepared at start-up; the message says why. The program exits with code 1.</summary>
public sealed class StartupFailedException(string message, Exception inner) : Exception(message, inner);
