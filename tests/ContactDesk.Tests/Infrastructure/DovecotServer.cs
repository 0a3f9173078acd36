using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A private Dovecot IMAP server (Debian's dovecot-imapd) on a free loopback port: a passwd-file
/// user per mailbox, Maildir under a temporary folder, no system service. One per test class (or
/// benchmark); disposing stops it and removes the folder.
/// </summary>
public sealed class DovecotServer : IDisposable
{
    public const string Password = "imap-secret";

    private readonly string root;

    public int Port { get; }

    public string Host => "127.0.0.1";

    private DovecotServer(string root, int port)
    {
        this.root = root;
        Port = port;
    }

    /// <summary>Starts one with the mail users <paramref name="users"/> (all with <see cref="Password"/>).</summary>
    public static DovecotServer Start(params string[] users)
    {
        if (!File.Exists("/usr/sbin/dovecot"))
        {
            throw new InvalidOperationException("Dovecot is not installed: run scripts/test.sh (it installs it), or 'apt-get install dovecot-imapd'.");
        }
        var root = Directory.CreateTempSubdirectory("contactdesk-dovecot-").FullName;
        foreach (var dir in new[] { "mail", "run", "state" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }
        Run("chmod", $"755 {root}"); // dovecot reads the configuration and the users file as its own user
        Run("chown", $"dovecot: {root}/mail");
        File.WriteAllLines(Path.Combine(root, "users"), users.Select(u => $"{u}:{{PLAIN}}{Password}::::::"));
        var port = FreePort();
        File.WriteAllText(Path.Combine(root, "dovecot.conf"), $$"""
            base_dir = {{root}}/run
            state_dir = {{root}}/state
            log_path = {{root}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{root}}/users
            }
            userdb {
              driver = static
              args = uid=dovecot gid=dovecot home={{root}}/mail/%u
            }
            mail_location = maildir:~/Maildir
            first_valid_uid = 1
            first_valid_gid = 1
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              chroot =
            }
            """);
        // Not captured: the daemon it forks keeps the output pipes open, so reading them would never end.
        Run("/usr/sbin/dovecot", $"-c {root}/dovecot.conf", capture: false);
        var server = new DovecotServer(root, port);
        // Listening within a few seconds, even on a loaded machine.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    public void Dispose()
    {
        var pidFile = Path.Combine(root, "run", "master.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            try
            {
                using var master = Process.GetProcessById(pid);
                master.Kill(entireProcessTree: true);
                master.WaitForExit(10_000);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void Run(string file, string arguments, bool capture = true)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = capture, RedirectStandardOutput = capture })!;
        var error = capture ? process.StandardError.ReadToEnd() : "see its log";
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
