using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactDesk.Hosting;

public sealed class SubmitRateLimitOptions
{
    public const string Section = "RateLimiting:Submit";

    /// <summary>Submissions per client IP per window; 0 turns the limit off.</summary>
    public int PermitLimit { get; set; } = 5;

    public int WindowSeconds { get; set; } = 60;
}

/// <summary>ASP.NET Core's rate limiter on <c>/submit</c>: a fixed window per client IP.</summary>
public static class SubmitRateLimit
{
    public const string Policy = "submit";

    public static IServiceCollection AddSubmitRateLimit(this IServiceCollection services)
    {
        services.AddOptions<SubmitRateLimitOptions>().BindConfiguration(SubmitRateLimitOptions.Section)
            .Validate(o => o.PermitLimit >= 0 && o.WindowSeconds > 0, "RateLimiting:Submit needs PermitLimit >= 0 and WindowSeconds > 0.")
            .ValidateOnStart();

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SubmitRateLimitOptions>>().Value;
                var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                // The contact page shares the policy: showing the form is free, sending it is counted.
                // The free partition has a key of its own: the limiter made first for a key is kept for
                // it, so a client whose first request was a GET would otherwise never be limited.
                return options.PermitLimit == 0 || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
                    ? RateLimitPartition.GetNoLimiter("free")
                    : RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitLimit,
                        Window = TimeSpan.FromSeconds(options.WindowSeconds),
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Detail = Portal.PortalPaths.Contains(http.Request.Path)
                        ? "Too many requests from your address; retry after the time in Retry-After."
                        : "Too many submissions from your address; retry after the time in Retry-After." },
                });
            };
        });
        return services;
    }
}
