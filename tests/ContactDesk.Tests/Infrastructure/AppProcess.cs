using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The built app (ContactDesk.dll) as a real process on a real port, for what only a process can
/// show: a hard kill and a restart.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    private AppProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    /// <summary>What the app wrote to stdout and stderr (its log at Warning and above), for failure messages.</summary>
    public string Output => string.Join('\n', output);

    public HttpClient CreateClient() => new() { BaseAddress = Address };

    /// <summary>The exit code, once the process has exited.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Sends SIGTERM and returns at once (<see cref="WaitForExitAsync"/> waits).</summary>
    public void Terminate() => Assert.Equal(0, Kill(process.Id, Sigterm));

    public async Task WaitForExitAsync(int seconds = 60)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await process.WaitForExitAsync(patience.Token);
    }

    /// <param name="workingDirectory">Where it is started from; the folder of the built program unless given.</param>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null, string? workingDirectory = null)
    {
        port ??= FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ContactDesk.dll"), "--urls", address.ToString()])
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var app = new AppProcess(process, address);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = app.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(120); // a safety net; a busy shared machine can take a minute
        while (true)
        {
            Assert.False(process.HasExited, $"The app exited at start-up with code {(process.HasExited ? process.ExitCode : 0)}: {app.Output}");
            try
            {
                if ((await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            Assert.True(DateTime.UtcNow < deadline, "The app did not become healthy within 120 s.");
            await Task.Delay(100);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        output.Enqueue(line);
        while (output.Count > 100_000 && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>The process's resident memory now (VmRSS) and its peak since start or the last <see cref="ResetPeakMemory"/> (VmHWM), in bytes.</summary>
    public (long Resident, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        long Kib(string name) => long.Parse(status.Single(l => l.StartsWith(name + ":")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return (Kib("VmRSS"), Kib("VmHWM"));
    }

    /// <summary>Sets the peak (VmHWM) back to the resident size now (Linux: "5" to clear_refs).</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{process.Id}/clear_refs", "5");

    /// <summary>SIGTERM, as a service manager stops it: the host shuts down in order.</summary>
    public async Task StopAsync()
    {
        Assert.Equal(0, Kill(process.Id, Sigterm));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(patience.Token);
    }

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
