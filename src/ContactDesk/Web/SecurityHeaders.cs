using Microsoft.Extensions.Options;

namespace ContactDesk.Web;

/// <summary>
/// Headers that keep the pages safe in a browser: no inline script may run (so injected markup
/// stays inert), nothing is sniffed, and only the contact form may be framed — by the sites allowed
/// to embed it.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path;
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (ContactDesk.Portal.PortalPaths.Contains(path))
            {
                // A portal URL is a secret: never sent on to another site, never indexed.
                headers["Referrer-Policy"] = "no-referrer";
                headers["X-Robots-Tag"] = "noindex";
            }
            // The API reference at /docs brings its own inline script; it shows no user data.
            // A response with a policy of its own (a file download: sandbox) keeps it.
            if (!path.StartsWithSegments("/docs") && !path.StartsWithSegments("/scalar") && !headers.ContainsKey("Content-Security-Policy"))
            {
                var embeddable = path.StartsWithSegments("/contact");
                var ancestors = embeddable
                    ? string.Join(' ', ["'self'", .. http.RequestServices.GetRequiredService<IOptions<CorsOptions>>().Value.AllowedOrigins])
                    : "'none'";
                headers.ContentSecurityPolicy =
                    $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}";
                if (!embeddable)
                {
                    headers.XFrameOptions = "DENY";
                }
            }
            return Task.CompletedTask;
        });
        await next(http);
    });
}
