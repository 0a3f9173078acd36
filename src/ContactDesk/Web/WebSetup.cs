using ContactDesk.Attachments;
using ContactDesk.Identity;
using ContactDesk.Moderation;

namespace ContactDesk.Web;

public sealed class CorsOptions
{
    public const string Section = "Cors";

    /// <summary>Websites (scheme://host[:port]) that may embed the contact form and post it to the API.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

/// <summary>The server-rendered pages: the public contact form and the admin interface.</summary>
public static class WebSetup
{
    public const string EmbedCorsPolicy = "embed";

    public static IServiceCollection AddContactDeskWeb(this IServiceCollection services, IConfiguration config)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web";
            o.Conventions.AllowAnonymousToFolder("/Contact");
            o.Conventions.AuthorizeFolder("/Admin", Roles.ModeratorPagesPolicy);
            o.Conventions.AllowAnonymousToPage("/Admin/Login");
            o.Conventions.AllowAnonymousToPage("/Admin/Denied");
            o.Conventions.AuthorizePage("/Admin/Users", Roles.AdminPagesPolicy);
            o.Conventions.AuthorizePage("/Admin/Emails", Roles.AdminPagesPolicy);
            o.Conventions.AuthorizePage("/Admin/Webhooks", Roles.AdminPagesPolicy);
            o.Conventions.AuthorizePage("/Admin/WebhookDeliveries", Roles.AdminPagesPolicy);
            o.Conventions.AuthorizePage("/Admin/Sla", Roles.AdminPagesPolicy);
        });
        services.AddSingleton<PageUploads>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "contactdesk.csrf";
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sets framing rules, allowing the embeddable form
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        var origins = config.GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? [];
        services.Configure<CorsOptions>(config.GetSection(CorsOptions.Section));
        services.AddCors(o => o.AddPolicy(EmbedCorsPolicy, p => p
            .WithOrigins(origins)
            .WithMethods("POST")
            .WithHeaders("Content-Type", "Idempotency-Key")
            .WithExposedHeaders("Location")));
        return services;
    }

    public static WebApplication UseContactDeskWeb(this WebApplication app)
    {
        app.UseSecurityHeaders();
        // Plain files from wwwroot (the stylesheet, admin.js, embed.js): the same in a build, a publish and the tests.
        app.UseStaticFiles();
        app.UseCors();
        return app;
    }

    public static WebApplication MapContactDeskWeb(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/", () => Results.Redirect("/contact")).AllowAnonymous().ExcludeFromDescription();
        // The queue page's "Export CSV": the API's export, for a signed-in browser.
        app.MapGet("/admin/export.csv", ExportEndpoint.Export).RequireAuthorization(Roles.ModeratorPagesPolicy).ExcludeFromDescription();
        // The ticket page's file links: the API's download (same protective headers), for a signed-in browser.
        app.MapGet("/admin/attachments/{id:guid}", AttachmentEndpoints.Download).RequireAuthorization(Roles.ModeratorPagesPolicy).ExcludeFromDescription();
        return app;
    }
}
