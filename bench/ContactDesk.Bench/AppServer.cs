using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactDesk.Bench;

/// <summary>
/// The app built in Release (ContactDesk.dll, copied next to the benchmark) as a real process on a
/// loopback port, configured by environment variables as an operator would; its memory is read from
/// /proc.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process process;

    private AppServer(Process process, Uri address, TimeSpan startup)
    {
        this.process = process;
        Address = address;
        StartupTime = startup;
    }

    public Uri Address { get; }

    /// <summary>From starting the process to the first 200 from /healthz.</summary>
    public TimeSpan StartupTime { get; }

    public int Pid => process.Id;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ContactDesk.dll");

    public static async Task<AppServer> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = Start(environment, "--urls", address.ToString());
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null && output.Count < 200) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && output.Count < 200) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited at start-up ({process.ExitCode}):\n{string.Join('\n', output)}");
            }
            try
            {
                if ((await probe.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return new AppServer(process, address, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // listening, not answering yet
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The app was not healthy within 120 s:\n{string.Join('\n', output)}");
            }
            await Task.Delay(10);
        }
    }

    /// <summary><c>dotnet ContactDesk.dll users create ...</c> with the same configuration.</summary>
    public static async Task CreateUserAsync(IReadOnlyDictionary<string, string> environment, string email, string password, string role, string name)
    {
        using var process = Process.Start(Start(environment, "users", "create", "--email", email, "--password", password, "--role", role, "--name", name))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"users create failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
    }

    /// <summary>Resident memory now and at its peak (VmRSS, VmHWM), in MiB.</summary>
    public (double Rss, double Peak) Memory() => ReadMemory(process.Id);

    public static (double Rss, double Peak) ReadMemory(int pid)
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:"))
            {
                rss = Kib(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:"))
            {
                peak = Kib(line) / 1024.0;
            }
        }
        return (rss, peak);

        static long Kib(string line) => long.Parse(line.Split(':')[1].Trim().Split(' ')[0]);
    }

    /// <summary>Samples VmRSS every 50 ms until disposed; reports the highest seen.</summary>
    public RssSampler SampleRss() => new(process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static ProcessStartInfo Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed class RssSampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        public RssSampler(int pid)
        {
            loop = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    MaxMiB = Math.Max(MaxMiB, ReadMemory(pid).Rss);
                    try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
                }
            });
        }

        public double MaxMiB { get; private set; }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
        }
    }
}
