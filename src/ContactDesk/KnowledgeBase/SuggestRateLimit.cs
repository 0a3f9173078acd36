using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ContactDesk.KnowledgeBase;

public sealed class SuggestRateLimitOptions
{
    public const string Section = "RateLimiting:Suggest";

    /// <summary>Suggestion requests (and opened-suggestion beacons) per client IP per window; 0 turns the limit off.</summary>
    public int PermitLimit { get; set; } = 120;

    public int WindowSeconds { get; set; } = 60;
}

/// <summary>The anonymous suggestion endpoints run a search per call: a fixed window per client IP keeps that bounded.</summary>
public static class SuggestRateLimit
{
    public const string Policy = "kb-suggest";

    public static IServiceCollection AddSuggestRateLimit(this IServiceCollection services)
    {
        services.AddOptions<SuggestRateLimitOptions>().BindConfiguration(SuggestRateLimitOptions.Section)
            .Validate(o => o.PermitLimit >= 0 && o.WindowSeconds > 0, "RateLimiting:Suggest needs PermitLimit >= 0 and WindowSeconds > 0.")
            .ValidateOnStart();
        services.AddRateLimiter(limiter => limiter.AddPolicy(Policy, http =>
        {
            var options = http.RequestServices.GetRequiredService<IOptions<SuggestRateLimitOptions>>().Value;
            return options.PermitLimit == 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                });
        }));
        return services;
    }
}
