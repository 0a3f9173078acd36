namespace ContactDesk.Inbound;

public static class InboundSetup
{
    /// <summary>The ingest path and its sources: HTTP (always mapped), IMAP and the pickup folder (when configured).</summary>
    public static IServiceCollection AddInbound(this IServiceCollection services)
    {
        // Every charset mail arrives in: .NET knows only the Unicode ones and Latin-1 until the code
        // pages (Windows-125x, ISO-2022-JP, KOI8-R, GB2312…) are registered.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        services.AddSingleton<InboundSignal>();
        services.AddSingleton<InboundWriteGate>();
        services.AddScoped<InboundStore>();
        services.AddScoped<InboundMatcher>();
        services.AddScoped<MailFiles>();
        services.AddScoped<InboundProcessor>();
        services.AddHostedService<InboundWorker>();
        services.AddHostedService<ImapSource>();
        services.AddHostedService<PickupFolderSource>();
        return services;
    }
}
