using System.Diagnostics;

namespace ContactDesk.Bench;

/// <summary>
/// The app as it is deployed: <c>dotnet publish -c Release -r linux-x64 -p:PublishReadyToRun=true</c>,
/// its assemblies compiled ahead of time so that start-up does not wait for the JIT.
/// </summary>
public static class Publish
{
    public static async Task<string> ReadyToRunAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "contactdesk-bench-publish");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "publish", Path.Combine(Repository.Root, "src", "ContactDesk"), "-c", "Release", "-r", "linux-x64",
                     "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output, "--nologo", "-v", "quiet" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
        return output;
    }
}

/// <summary>The repository this runs in, found upwards from the current folder or the benchmark's.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ContactDesk.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository (ContactDesk.slnx not found).");
    }
}
