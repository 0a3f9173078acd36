using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run (and for the benchmarks, which link this
/// file), made with the machine's own initdb and pg_ctl (Debian's postgresql package): started on
/// first use, removed when the process ends.
/// Set CONTACTDESK_TEST_POSTGRES to a server's connection string to use that one instead.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(() => Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);

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

    /// <summary>
    /// A connection string for a database of this name (the app creates it when migrating). Every
    /// test class has a pool of its own; idle connections close after a few seconds so that classes
    /// that are done do not hold the server's connection slots while later ones need them.
    /// </summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(baseConnectionString)
        {
            Database = database,
            Pooling = true,
            MaxPoolSize = 50,
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        }.ConnectionString;

    /// <summary>Stops the server at once, as a crash or an outage would; <see cref="Restart"/> brings it back.</summary>
    public void Stop() => PgCtl("-m immediate -s stop");

    public void Restart() => PgCtl($"-l {dataDir}/server.log -w -s start");

    /// <summary>
    /// Starts a cluster of its own. <paramref name="durable"/> keeps PostgreSQL's default fsync and
    /// synchronous commit (benchmarks); tests turn both off.
    /// </summary>
    public static PostgresServer Start(bool durable)
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

        RemoveAbandonedClusters(pgBin);
        var root = Directory.CreateTempSubdirectory(Prefix).FullName;
        File.WriteAllText(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString());
        var port = FreePort();
        File.WriteAllText(Path.Combine(root, "pw"), "postgres");
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Timeout=15;Command Timeout=60", root + "/data", pgBin);

        if (IsRoot())
        {
            Run("chown", $"-R postgres: {root}"); // initdb refuses to run as root
        }
        server.RunAsOwner($"{pgBin}/initdb", $"-D {root}/data -U postgres --pwfile={root}/pw --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync");
        var durability = durable ? "" : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
        File.AppendAllText(Path.Combine(root, "data", "postgresql.conf"), $"""

            port = {port}
            unix_socket_directories = '{root}'
            listen_addresses = '127.0.0.1'
            max_connections = 500
            {durability}
            """);
        server.Restart();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Remove();
        return server;
    }

    /// <summary>Stops the cluster if it runs and deletes its files; for a test's own cluster, when it is done.</summary>
    public void Remove()
    {
        if (dataDir is null)
        {
            return; // an external server is not ours to stop
        }
        try
        {
            Stop();
        }
        catch (InvalidOperationException)
        {
            // stopped already (a test stopped it, or removed it before the process exits)
        }
        try { Directory.Delete(Path.GetDirectoryName(dataDir)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>False for a server named by CONTACTDESK_TEST_POSTGRES: the tests cannot stop and start it.</summary>
    public bool IsOwn => dataDir is not null;

    private const string Prefix = "contactdesk-pg-";

    /// <summary>
    /// A test host that is killed (not stopped) never runs its exit handler: clusters whose owning
    /// process is gone are stopped and removed by the next run.
    /// </summary>
    private static void RemoveAbandonedClusters(string pgBin)
    {
        foreach (var root in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var ownerFile = Path.Combine(root, "owner.pid");
            if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile), out var owner) || IsRunning(owner))
            {
                continue;
            }
            try
            {
                new PostgresServer("", Path.Combine(root, "data"), pgBin).Stop();
            }
            catch (InvalidOperationException)
            {
                // not running any more
            }
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
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
