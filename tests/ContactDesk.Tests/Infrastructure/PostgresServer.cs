using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run, made with the machine's own initdb and
/// pg_ctl (Debian's postgresql package): started on first use, removed when the run ends.
/// Set CONTACTDESK_TEST_POSTGRES to a server's connection string to use that one instead.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string baseConnectionString;
    private readonly string? dataDir;
    private readonly string? pgBin;

    private PostgresServer(string baseConnectionString, string? dataDir, string? pgBin)
    {
        this.baseConnectionString = baseConnectionString;
        this.dataDir = dataDir;
        this.pgBin = pgBin;
    }

    public static PostgresServer Instance => Shared.Value;

    /// <summary>A connection string for a database of this name (the app creates it when migrating).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(baseConnectionString) { Database = database, Pooling = true, MaxPoolSize = 50 }.ConnectionString;

    /// <summary>Stops the server at once, as a crash or an outage would; <see cref="Restart"/> brings it back.</summary>
    public void Stop() => PgCtl("-m immediate -s stop");

    public void Restart() => PgCtl($"-l {dataDir}/server.log -w -s start");

    private static PostgresServer Start()
    {
        if (Environment.GetEnvironmentVariable("CONTACTDESK_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return new PostgresServer(external, null, null);
        }

        var pgBin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (pgBin is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL is not installed: run scripts/test.sh (it installs it), or 'apt-get install postgresql'.");
        }

        var root = Directory.CreateTempSubdirectory("contactdesk-pg-").FullName;
        var port = FreePort();
        File.WriteAllText(Path.Combine(root, "pw"), "postgres");
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Timeout=15;Command Timeout=60", root + "/data", pgBin);

        if (IsRoot())
        {
            Run("chown", $"-R postgres: {root}"); // initdb refuses to run as root
        }
        server.RunAsOwner($"{pgBin}/initdb", $"-D {root}/data -U postgres --pwfile={root}/pw --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync");
        // Durability off: these databases live for one test run.
        File.AppendAllText(Path.Combine(root, "data", "postgresql.conf"), $"""

            port = {port}
            unix_socket_directories = '{root}'
            listen_addresses = '127.0.0.1'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 300
            """);
        server.Restart();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.Stop();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        };
        return server;
    }

    private void PgCtl(string arguments) => RunAsOwner($"{pgBin}/pg_ctl", $"-D {dataDir} {arguments}");

    private void RunAsOwner(string program, string arguments)
    {
        if (IsRoot())
        {
            Run("runuser", $"-u postgres -- {program} {arguments}");
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {stderr.Result}");
        }
    }

    private static bool IsRoot() => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
