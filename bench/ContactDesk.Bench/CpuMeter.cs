using System.Diagnostics;

namespace ContactDesk.Bench;

/// <summary>
/// CPU time spent by the app, by the PostgreSQL cluster (its postmaster and every backend, including
/// those that exited) and by this load generator, from /proc. Divided by the requests served, it
/// says where a request's cost goes; unlike a rate, it hardly moves when other work shares the machine.
/// </summary>
public sealed class CpuMeter(int? appPid, int? postmasterPid)
{
    public sealed record Sample(TimeSpan App, TimeSpan Postgres, TimeSpan Generator);

    public Sample Read() => new(
        appPid is { } app ? Ticks(app, children: false) : TimeSpan.Zero,
        postmasterPid is { } pm ? TreeTicks(pm) : TimeSpan.Zero,
        Process.GetCurrentProcess().TotalProcessorTime);

    public static Sample Delta(Sample before, Sample after) =>
        new(after.App - before.App, after.Postgres - before.Postgres, after.Generator - before.Generator);

    /// <summary>The postmaster's own and reaped children's time, plus every live child's.</summary>
    private static TimeSpan TreeTicks(int postmaster)
    {
        var total = Ticks(postmaster, children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && stat.Ppid == postmaster)
            {
                total += Ticks(pid, children: true);
            }
        }
        return total;
    }

    private static TimeSpan Ticks(int pid, bool children)
    {
        if (Stat(pid) is not { } stat)
        {
            return TimeSpan.Zero;
        }
        var ticks = stat.Utime + stat.Stime + (children ? stat.Cutime + stat.Cstime : 0);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    private sealed record StatLine(int Ppid, long Utime, long Stime, long Cutime, long Cstime);

    private static StatLine? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after "(comm) ": state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based overall.
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return new StatLine(int.Parse(f[1]), long.Parse(f[11]), long.Parse(f[12]), long.Parse(f[13]), long.Parse(f[14]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
