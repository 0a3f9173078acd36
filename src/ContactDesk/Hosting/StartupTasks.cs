using ContactDesk.Data;
using ContactDesk.Identity;

namespace ContactDesk.Hosting;

/// <summary>
/// Runs before the server takes requests: applies migrations and loads the token signing key.
/// A hosted service so that tests' hosts (WebApplicationFactory) run it too.
/// </summary>
public sealed class StartupTasks(IServiceProvider services, JwtTokens tokens) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await services.MigrateDatabaseAsync(ct);
        await using var scope = services.CreateAsyncScope();
        await tokens.LoadKeyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
