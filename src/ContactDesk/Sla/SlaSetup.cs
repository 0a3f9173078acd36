using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Sla;

public static class SlaSetup
{
    /// <summary>Call after the audit interceptor is registered: the SLA columns are bookkeeping, not history.</summary>
    public static IServiceCollection AddSla(this IServiceCollection services)
    {
        services.AddSingleton<SlaPolicyStore>();
        services.AddSingleton<IInterceptor, SlaInterceptor>();
        services.AddSingleton<SlaMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<SlaMonitor>());
        return services;
    }
}
