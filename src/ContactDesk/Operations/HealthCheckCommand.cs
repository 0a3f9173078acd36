namespace ContactDesk.Operations;

/// <summary>
/// <c>ContactDesk healthcheck</c>: asks the running server on this machine for <c>/healthz/live</c>
/// and exits 0 when it answers 200, else 1. For a container's HEALTHCHECK, as the runtime image has
/// no curl. It reads only where the server listens (<c>Urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>, appsettings.json), never the database, so it costs a fraction of a start.
/// </summary>
public static class HealthCheckCommand
{
    public const string Verb = "healthcheck";

    public static bool IsCommand(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args[1..])
            .Build();
        var address = LocalAddress(configuration);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(address, "/healthz/live"));
            Console.WriteLine($"{address}healthz/live: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{address}healthz/live: {e.Message}");
            return 1;
        }
    }

    /// <summary>The first HTTP address the server binds, with a wildcard host made the loopback address.</summary>
    public static Uri LocalAddress(IConfiguration configuration)
    {
        var urls = configuration["urls"] is { Length: > 0 } u ? u
            : configuration["http_ports"] is { Length: > 0 } ports ? $"http://+:{ports.Split(';', ',')[0]}"
            : "http://localhost:5000";
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? "http://localhost:5000";
        var builder = new UriBuilder(first.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (builder.Host is "0.0.0.0" or "[::]" or "localhost")
        {
            builder.Host = "127.0.0.1";
        }
        builder.Path = "/";
        return builder.Uri;
    }
}
