using ContactDesk.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace ContactDesk.Portal;

/// <summary>The customer portal's services, policies and page conventions.</summary>
public static class PortalSetup
{
    /// <summary>Any signed-in account (role user or above), by bearer token: <c>/api/v1/me/tickets</c>.</summary>
    public const string AccountPolicy = "account";

    /// <summary>The same by the sign-in cookie: the <c>/my</c> pages.</summary>
    public const string AccountPagesPolicy = "account-pages";

    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddScoped<PortalTickets>();
        services.AddPortalRateLimit();
        services.AddAuthorizationBuilder()
            .AddPolicy(AccountPolicy, p => p.RequireRole(Roles.All))
            .AddPolicy(AccountPagesPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.All));
        // The /my pages send a visitor who is not signed in to their own sign-in page, not the admin one.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var toAdmin = o.Events.OnRedirectToLogin;
            o.Events.OnRedirectToLogin = context =>
            {
                if (!context.Request.Path.StartsWithSegments("/my"))
                {
                    return toAdmin(context);
                }
                context.Response.Redirect("/my/login");
                return Task.CompletedTask;
            };
        });
        return services;
    }
}
