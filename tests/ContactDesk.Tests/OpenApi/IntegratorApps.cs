using System.Net;
using System.Net.Sockets;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests.OpenApi;

/// <summary>
/// The app as an integrator meets it: on a real port, three submissions per client per minute (each
/// test takes a loopback address of its own, <see cref="RealServer.NewClientAddress"/>), and email to
/// an SMTP port where nothing listens with one attempt, so that the outbox has failed emails to re-queue;
/// email in over HTTP with the inbound tests' secret.
/// </summary>
public static class IntegratorSettings
{
    public static IEnumerable<KeyValuePair<string, string?>> All() =>
    [
        .. RateLimitTests.ThreePerMinute,
        new("Email:Smtp:Host", "127.0.0.1"),
        new("Email:Smtp:Port", ClosedPort().ToString()),
        new("Email:Dispatch:MaxAttempts", "1"),
        new("Email:Dispatch:PollSeconds", "0.1"),
        // Email in over HTTP, with the secret the inbound tests send.
        new("Email:Inbound:Token", Inbound.IInboundApp.Token),
        new("Email:Inbound:Address", "support@contactdesk.test"),
        // Webhooks queue their deliveries but none is sent: the agreement test's hooks name public addresses,
        // and no test may connect out of the machine.
        new("Webhooks:DispatchEnabled", "false"),
    ];

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }
}

public sealed class SqliteIntegratorApp : SqliteApp
{
    public SqliteIntegratorApp() => this.ListenOnLoopback();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IntegratorSettings.All()];
}

public sealed class PostgresIntegratorApp : PostgresApp
{
    public PostgresIntegratorApp() => this.ListenOnLoopback();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IntegratorSettings.All()];
}
