namespace ContactDesk.Operations;

/// <summary>
/// The app's own files (appsettings.json, wwwroot) are read from the program's folder, wherever it is
/// started from; the working directory is left to what the app writes (<see cref="DataLocations"/>).
/// So <c>dotnet run --project src/ContactDesk</c> in the repository root keeps its data in the
/// repository root's <c>data/</c>, and <c>dotnet /app/ContactDesk.dll</c> in a data folder keeps it there.
/// </summary>
public static class AppFolder
{
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        // An explicit content root (--contentRoot, ASPNETCORE_CONTENTROOT; the test host passes one) wins.
        ContentRootPath = Given(args) ? null : AppContext.BaseDirectory,
    };

    /// <summary>
    /// Under <c>dotnet run</c> the program's folder is the build output, which holds no wwwroot: the
    /// build's manifest of static files points at the project's (in Development the host does this
    /// itself). A published app has no such manifest, and this does nothing.
    /// </summary>
    public static void ServeProjectStaticFiles(WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            builder.WebHost.UseStaticWebAssets();
        }
    }

    private static bool Given(string[] args) =>
        args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
        || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
        || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 };
}
