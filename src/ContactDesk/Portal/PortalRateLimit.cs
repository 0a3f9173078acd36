using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ContactDesk.Portal;

public sealed class PortalRateLimitOptions
{
    public const string Section = "RateLimiting:Portal";

    /// <summary>Portal requests (page and API, any method) per client IP per window; 0 turns the limit off.</summary>
    public int PermitLimit { get; set; } = 30;

    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Guessing portal tokens is slowed per client address: a fixed window over every request to
/// <c>/t/…</c> and <c>/api/v1/portal/…</c>, known token or not. It is the rate limiter's global
/// limiter, so it stacks with an endpoint's own policy (a portal reply also counts as a submission).
/// </summary>
public static class PortalRateLimit
{
    public static IServiceCollection AddPortalRateLimit(this IServiceCollection services)
    {
        services.AddOptions<PortalRateLimitOptions>().BindConfiguration(PortalRateLimitOptions.Section)
            .Validate(o => o.PermitLimit >= 0 && o.WindowSeconds > 0, "RateLimiting:Portal needs PermitLimit >= 0 and WindowSeconds > 0.")
            .ValidateOnStart();
        services.AddRateLimiter(limiter => limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var options = http.RequestServices.GetRequiredService<IOptions<PortalRateLimitOptions>>().Value;
            return options.PermitLimit == 0 || !PortalPaths.Contains(http.Request.Path)
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter("portal " + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                });
        }));
        return services;
    }
}
