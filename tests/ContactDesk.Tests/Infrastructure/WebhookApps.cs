using ContactDesk.Data;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The app on either database with its own <see cref="TestSmtpServer"/> and <see cref="WebhookReceiver"/>,
/// webhooks retried within a fraction of a second, a 1 s timeout and a pause after 3 failures in a
/// row. Private destinations are allowed (the receiver is on loopback) unless the app is guarded.
/// </summary>
public abstract class WebhookApp(DatabaseProvider provider, bool allowPrivateNetworks) : ContactDeskApp, IMailApp, IAsyncLifetime
{
    public const int PauseAfterFailures = 3;

    private readonly string postgresDatabase = $"contactdesk_{Guid.NewGuid():N}";

    public override DatabaseProvider Provider => provider;

    // As SqliteApp and PostgresApp make theirs.
    protected override string ConnectionString => Provider == DatabaseProvider.Sqlite
        ? $"Data Source={Path.Combine(DataDirectory, "contactdesk.db")}"
        : PostgresServer.Instance.ConnectionString(postgresDatabase);

    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    public WebhookReceiver Receiver { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(), .. IMailApp.Settings(Smtp),
        new("Webhooks:AllowPrivateNetworks", allowPrivateNetworks ? "true" : "false"),
        new("Webhooks:PollSeconds", "0.1"),
        new("Webhooks:FirstRetrySeconds", "0.1"),
        new("Webhooks:MaxRetrySeconds", "0.3"),
        new("Webhooks:TimeoutSeconds", "1"),
        new("Webhooks:PauseAfterFailures", PauseAfterFailures.ToString()),
        new("Webhooks:LeaseSeconds", "10"),
    ];

    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SqliteWebhookApp() : WebhookApp(DatabaseProvider.Sqlite, allowPrivateNetworks: true);

public sealed class PostgresWebhookApp() : WebhookApp(DatabaseProvider.Postgres, allowPrivateNetworks: true);

/// <summary>The default: loopback, private and link-local destinations refused.</summary>
public sealed class SqliteGuardedWebhookApp() : WebhookApp(DatabaseProvider.Sqlite, allowPrivateNetworks: false);

public sealed class PostgresGuardedWebhookApp() : WebhookApp(DatabaseProvider.Postgres, allowPrivateNetworks: false);
