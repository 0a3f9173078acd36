using ContactDesk.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContactDesk.Operations;

/// <summary>
/// Probes for orchestrators besides <c>/healthz</c>: <c>/healthz/live</c> (the process answers; no
/// database, so an outage does not get the container restarted) and <c>/healthz/ready</c> (the
/// database answers and every migration is applied; 503 otherwise, so traffic waits).
/// </summary>
public static class HealthSetup
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddContactDeskHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<MigrationsApplied>("migrations", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapContactDeskHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Name == "database" || c.Tags.Contains(ReadyTag) })
            .AllowAnonymous();
        return app;
    }

    /// <summary>Unhealthy while the database does not answer or has migrations left to apply (another instance mid-upgrade).</summary>
    private sealed class MigrationsApplied(AppDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{pending.Count} migrations not applied, the first {pending[0]}.");
        }
    }
}
