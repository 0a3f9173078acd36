using System.Diagnostics;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Console;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace ContactDesk.Tests.Operations;

/// <summary>
/// What can be checked of the container files without a container engine: the compose file sets only
/// settings the app reads, its ports and health check agree with the Dockerfile, and the Dockerfile's
/// own restore and ReadyToRun publish commands work and give a program whose <c>healthcheck</c> verb works.
/// </summary>
public sealed class DeploymentFileTests(ITestOutputHelper output)
{
    private static readonly string Root = RepositoryRoot();

    [Fact]
    public void Every_environment_setting_of_the_app_in_compose_yaml_is_one_the_app_reads()
    {
        var environment = AppService()["environment"];
        var keys = ((YamlMappingNode)environment).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

        Assert.Contains("Database__Provider", keys);
        var unknown = keys.Where(k => !IsReadByTheApp(k.Replace("__", ":"))).ToList();
        Assert.True(unknown.Count == 0, $"compose.yaml sets what the app never reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_ports_and_the_health_check_of_compose_yaml_agree_with_the_Dockerfile()
    {
        var app = AppService();
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var exposed = Regex.Match(dockerfile, @"^EXPOSE (\d+)", RegexOptions.Multiline).Groups[1].Value;
        var urls = ((YamlScalarNode)app["environment"]["Urls"]).Value!;
        var published = ((YamlSequenceNode)app["ports"]).Children.Select(p => ((YamlScalarNode)p).Value!.Split(':')[^1]).ToList();

        Assert.EndsWith($":{exposed}", urls);
        Assert.Contains(exposed, published);
        Assert.Contains($"ENV Urls=http://+:{exposed}", dockerfile);
        var test = ((YamlSequenceNode)app["healthcheck"]["test"]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
        Assert.Equal(["CMD", "dotnet", "/app/ContactDesk.dll", "healthcheck"], test);
        Assert.Contains("""HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["dotnet", "/app/ContactDesk.dll", "healthcheck"]""", dockerfile);
        Assert.Contains("COPY --from=build /app ./", dockerfile);
        Assert.Matches(@"(?m)^USER \$APP_UID$", dockerfile);
        // The engine waits longer than the app's own shutdown timeout before it kills.
        var grace = int.Parse(((YamlScalarNode)app["stop_grace_period"]).Value!.TrimEnd('s'));
        Assert.True(grace > int.Parse(((YamlScalarNode)app["environment"]["ShutdownTimeoutSeconds"]).Value!));
    }

    [Fact]
    [Trait("Category", "reliability")]
    public async Task The_Dockerfiles_ReadyToRun_publish_works_here_and_its_healthcheck_verb_asks_the_server()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var restore = Regex.Match(dockerfile, @"^RUN (dotnet restore .+)$", RegexOptions.Multiline).Groups[1].Value;
        var publish = Regex.Match(dockerfile, @"^RUN (dotnet publish .+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.Contains("-p:PublishReadyToRun=true", publish);
        Assert.Contains("--self-contained false", publish);
        var outputDirectory = Directory.CreateTempSubdirectory("contactdesk-publish-").FullName;
        try
        {
            await RunAsync(restore);
            await RunAsync(publish.Replace(" -o /app", $" -o {outputDirectory}"));
            var dll = Path.Combine(outputDirectory, "ContactDesk.dll");
            using (var pe = new PEReader(File.OpenRead(dll)))
            {
                // A ReadyToRun image carries native code next to the IL (the CLI header's managed native header).
                Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "ContactDesk.dll is not ReadyToRun");
            }
            Assert.True(Directory.Exists(Path.Combine(outputDirectory, "wwwroot")), "the published app has no wwwroot");

            var database = DatabaseProbe.NewDatabase(ContactDesk.Data.DatabaseProvider.Sqlite);
            await using var app = await AppProcess.StartAsync(AppEnvironment.For(database));
            Assert.Equal(0, await HealthCheckAsync(dll, app.Address.ToString()));
            await app.StopAsync();
            Assert.Equal(1, await HealthCheckAsync(dll, app.Address.ToString()));
        }
        finally
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }

    /// <summary>The settings the app reads: its options classes (by their section), its connection string, and the host's own.</summary>
    private static bool IsReadByTheApp(string key)
    {
        if (key.Equals("ConnectionStrings:Default", StringComparison.OrdinalIgnoreCase)
            || key.Equals("Urls", StringComparison.OrdinalIgnoreCase)
            || key.Equals("ShutdownTimeoutSeconds", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var sections = typeof(Program).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(s => s.Section is not null)
            .Select(s => (s.Type, Section: s.Section!))
            .Append((typeof(JsonConsoleFormatterOptions), "Logging:Console:FormatterOptions"))
            .Append((typeof(ConsoleLoggerOptions), "Logging:Console"))
            .ToList();
        foreach (var (type, section) in sections)
        {
            if (key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase) && HasPath(type, key[(section.Length + 1)..].Split(':')))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasPath(Type type, IEnumerable<string> path)
    {
        foreach (var name in path)
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite && property.PropertyType.IsValueType)
            {
                return false;
            }
            type = property.PropertyType;
        }
        return true;
    }

    private static YamlMappingNode AppService()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "deploy", "compose.yaml")))
        {
            yaml.Load(reader);
        }
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)root["services"]["app"];
    }

    private async Task RunAsync(string command)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(parts[0]) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var part in parts[1..])
        {
            start.ArgumentList.Add(part);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(patience.Token);
        output.WriteLine($"{command}: exit {process.ExitCode}");
        Assert.True(process.ExitCode == 0, $"{command}\n{await stdout}\n{await stderr}");
    }

    /// <summary>Runs the published program's <c>healthcheck</c> verb against a server at <paramref name="address"/>; returns its exit code.</summary>
    private static async Task<int> HealthCheckAsync(string dll, string address)
    {
        var start = new ProcessStartInfo("dotnet", [dll, "healthcheck"]) { RedirectStandardOutput = true };
        start.Environment["Urls"] = address;
        using var process = Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);
        return process.ExitCode;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ContactDesk.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (ContactDesk.slnx) was not found.");
    }
}
