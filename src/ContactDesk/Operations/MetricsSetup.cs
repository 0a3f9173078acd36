using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace ContactDesk.Operations;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve <c>GET /metrics</c> (Prometheus text format). Off by default: the figures say how busy the desk is.</summary>
    public bool Enabled { get; set; }
}

/// <summary>OpenTelemetry metrics with the Prometheus exporter at <c>/metrics</c>, when <c>Metrics:Enabled</c> is true.</summary>
public static class MetricsSetup
{
    public static IServiceCollection AddContactDeskMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PendingEmailCount>();
        services.AddSingleton<ContactDeskMetrics>();
        if (!Enabled(configuration))
        {
            return services;
        }
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics
                .AddAspNetCoreInstrumentation() // http.server.request.duration and Kestrel's connection figures
                .AddMeter(ContactDeskMetrics.MeterName)
                .AddPrometheusExporter();
            ((IDeferredMeterProviderBuilder)metrics).Configure((sp, b) => b.AddView(ThisHostOnly(sp.GetRequiredService<IMeterFactory>())));
        });
        return services;
    }

    /// <summary><c>GET /metrics</c>, for a scraper inside the operator's network (no sign-in: keep it off the public side of the proxy).</summary>
    public static WebApplication MapContactDeskMetrics(this WebApplication app)
    {
        if (Enabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }
        return app;
    }

    /// <summary>
    /// Only this host's instruments: a meter of the same name made by another host's IMeterFactory in
    /// the same process (the tests run several apps at once) does not hold this app's figures.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> ThisHostOnly(IMeterFactory factory) =>
        instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop;

    // Read once at start-up: the exporter is wired in or not.
    private static bool Enabled(IConfiguration configuration) =>
        configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Enabled == true;
}
