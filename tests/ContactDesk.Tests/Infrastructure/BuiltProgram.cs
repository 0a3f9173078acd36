using System.Diagnostics;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The built program (<c>dotnet ContactDesk.dll ...</c>, copied next to the test assembly) run as a
/// real process, configured only through environment variables as an operator would.
/// </summary>
public static class BuiltProgram
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {StdOut}\nstderr: {StdErr}";
    }

    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(environment, TimeSpan.FromMinutes(3), args);

    /// <param name="patience">A safety net against a hung process, not a timing assertion.</param>
    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan patience, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ContactDesk.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // An empty folder: nothing there (appsettings.json, data/) may stand in for the configuration.
            WorkingDirectory = Directory.CreateTempSubdirectory("contactdesk-cli-").FullName,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var hung = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(hung.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet ContactDesk.dll {string.Join(' ', args)}' did not exit: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The dotnet host running these tests, so the program runs on the same runtime.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
