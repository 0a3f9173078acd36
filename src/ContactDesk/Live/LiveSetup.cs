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
        return services;
    }
}
