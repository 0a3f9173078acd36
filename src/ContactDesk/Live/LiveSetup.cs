using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Live;

public static class LiveSetup
{
    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddSingleton<LiveHub>();
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        services.AddSingleton<IInterceptor, LiveSaveInterceptor>();
        services.AddScoped<PresenceStore>();
        // Razor Pages registers the cookie provider with TryAdd, so this wrapper takes its place.
        services.AddSingleton<ITempDataProvider>(sp =>
            new LiveRefreshTempData(ActivatorUtilities.CreateInstance<CookieTempDataProvider>(sp)));
        return services;
    }
}
