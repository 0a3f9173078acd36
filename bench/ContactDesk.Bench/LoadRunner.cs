using System.Diagnostics;

namespace ContactDesk.Bench;

/// <summary>Requests per second and latency percentiles of one measurement.</summary>
public sealed record LoadResult(string Name, int Clients, int Requests, int Errors, TimeSpan Elapsed, double[] SortedMs, CpuMeter.Sample? Cpu)
{
    /// <summary>CPU microseconds per request: app, PostgreSQL, load generator.</summary>
    public (double App, double Postgres, double Generator)? CpuPerRequest => Cpu is null || Requests == 0 ? null
        : (Cpu.App.TotalMicroseconds / Requests, Cpu.Postgres.TotalMicroseconds / Requests, Cpu.Generator.TotalMicroseconds / Requests);

    public double PerSecond => Requests / Elapsed.TotalSeconds;
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);
    public double Max => SortedMs.Length == 0 ? double.NaN : SortedMs[^1];

    public string Summary() =>
        $"{Name}: {PerSecond:F0}/s, p50 {P50:F1} ms, p99 {P99:F1} ms, errors {Errors}" +
        (CpuPerRequest is { } c ? $"; CPU per request: app {c.App:F0} us, PostgreSQL {c.Postgres:F0} us, generator {c.Generator:F0} us" : "");

    public double Percentile(double p) =>
        SortedMs.Length == 0 ? double.NaN : SortedMs[Math.Min(SortedMs.Length - 1, (int)Math.Ceiling(p * SortedMs.Length) - 1)];
}

/// <summary>
/// A closed-loop load generator: <c>clients</c> loops each send one request, wait for its answer,
/// record the latency and send the next, for a fixed time after a short unrecorded warm-up.
/// A request that fails (exception or unexpected status) counts as an error, never as a latency.
/// </summary>
public static class LoadRunner
{
    /// <param name="request">One request by client <c>i</c>; returns true when the answer is the expected one.</param>
    public static async Task<LoadResult> RunAsync(string name, int clients, TimeSpan duration, Func<int, CancellationToken, Task<bool>> request,
        CpuMeter? cpu = null, TimeSpan? warmup = null)
    {
        var warm = warmup ?? TimeSpan.FromSeconds(2);
        var latencies = new List<double>[clients];
        var errors = new int[clients];
        var clock = Stopwatch.StartNew();
        var recordFrom = warm;
        var until = warm + duration;
        var loops = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<double>(4096);
            while (clock.Elapsed < until)
            {
                var started = clock.Elapsed;
                bool ok;
                try
                {
                    ok = await request(i, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    ok = false;
                }
                var ended = clock.Elapsed;
                if (started < recordFrom || ended > until)
                {
                    continue;
                }
                if (ok)
                {
                    mine.Add((ended - started).TotalMilliseconds);
                }
                else
                {
                    errors[i]++;
                }
            }
        })).ToArray();
        CpuMeter.Sample? used = null;
        if (cpu is not null)
        {
            await Task.Delay(recordFrom - clock.Elapsed);
            var first = cpu.Read();
            await Task.Delay(until - clock.Elapsed);
            used = CpuMeter.Delta(first, cpu.Read());
        }
        await Task.WhenAll(loops);
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(name, clients, all.Length, errors.Sum(), duration, all, used);
    }
}
