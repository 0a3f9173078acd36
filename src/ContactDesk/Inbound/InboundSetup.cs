namespace ContactDesk.Inbound;

public static class InboundSetup
{
    /// <summary>The ingest path and its sources: HTTP (always mapped), IMAP and the pickup folder (when configured).</summary>
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        services.AddSingleton<InboundSignal>();
        services.AddScoped<InboundStore>();
        services.AddScoped<InboundMatcher>();
        services.AddScoped<MailFiles>();
        services.AddScoped<InboundProcessor>();
        services.AddHostedService<InboundWorker>();
        return services;
    }
}
