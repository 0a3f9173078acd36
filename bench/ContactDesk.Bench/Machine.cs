using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ContactDesk.Bench;

/// <summary>What the figures were measured on, and how busy it was.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memKib = long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:")).Split(':')[1].Trim().Split(' ')[0]);
        var os = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME="))?.Split('=', 2)[1].Trim('"') ?? "Linux";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memKib / 1024.0 / 1024.0:F0} GiB, {os}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1-minute load average.</summary>
    public static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>dotnet processes other than this one, its parent (<c>dotnet run</c>) and the apps it started.</summary>
    public static int OtherDotnetProcesses(params int[] mine)
    {
        var own = Environment.ProcessId;
        var parent = int.Parse(File.ReadAllText("/proc/self/stat").Split(") ")[1].Split(' ')[1]);
        return Process.GetProcesses().Count(p =>
        {
            try
            {
                return p.Id != own && p.Id != parent && !mine.Contains(p.Id) && p.ProcessName.StartsWith("dotnet", StringComparison.Ordinal);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        });
    }

    /// <summary>Load average and other dotnet processes, for the report.</summary>
    public static string Quietness(params int[] mine) =>
        $"load average {LoadAverage():F2}, {OtherDotnetProcesses(mine)} other dotnet processes";
}
