using ContactDesk.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace ContactDesk.Identity;

public static class IdentitySetup
{
    public static IServiceCollection AddContactDeskIdentity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.TokenLifetimeMinutes > 0, "Auth:TokenLifetimeMinutes must be positive.");
        services.AddSingleton<JwtTokens>();
        services.AddScoped<LoginAttempts>();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsFactory>();

        // Sign-in and antiforgery cookies are encrypted with this key ring. Kept in the database, it
        // is the same for every instance behind a load balancer and survives restarts and new
        // containers: a cookie made by one instance opens the pages on any other.
        services.AddDataProtection().SetApplicationName("ContactDesk").PersistKeysToDbContext<AppDbContext>();

        // The API takes bearer tokens only (so it needs no CSRF defence); the admin pages take the
        // Identity cookie, and their policies below name it.
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer().AddIdentityCookies(cookies =>
            cookies.ApplicationCookie!.Configure(o =>
            {
                o.Cookie.Name = "contactdesk.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax; // Lax: a link to a ticket in an admin email still opens signed in
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/admin/login";
                o.LogoutPath = "/admin/logout";
                o.AccessDeniedPath = "/admin/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            }));
        // A changed role or a locked account reaches open sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<JwtTokens>((o, tokens) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = tokens.ValidationParameters();
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ModeratorPolicy, p => p.RequireRole(Roles.Moderator, Roles.Admin))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.ModeratorPagesPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Moderator, Roles.Admin))
            .AddPolicy(Roles.AdminPagesPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireRole(Roles.Admin));
        return services;
    }
}
