using ContactDesk.Data;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The app on a real port with <see cref="Chromium"/>, its own <see cref="TestSmtpServer"/> and
/// the small attachment limits of <see cref="IUploadApp"/> (bytes, not MiB), on either database:
/// the conversation pages end to end, from the browser to the submitter's mailbox.
/// </summary>
public abstract class ConversationPageApp : ContactDeskApp, IAsyncLifetime
{
    private readonly string postgresDatabase = $"contactdesk_{Guid.NewGuid():N}";

    protected ConversationPageApp(DatabaseProvider provider)
    {
        Provider = provider;
        this.ListenOnLoopback();
    }

    public override DatabaseProvider Provider { get; }

    // As SqliteApp and PostgresApp make theirs: a file of this app's own, or a database of its own in the run's server.
    protected override string ConnectionString => Provider == DatabaseProvider.Sqlite
        ? $"Data Source={Path.Combine(DataDirectory, "contactdesk.db")}"
        : PostgresServer.Instance.ConnectionString(postgresDatabase);

    public TestSmtpServer Smtp { get; } = new();

    public Chromium Chromium { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), .. IMailApp.Settings(Smtp), .. IUploadApp.Settings()];

    public async Task InitializeAsync() => Chromium = await Chromium.LaunchAsync(this);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SqliteConversationPageApp() : ConversationPageApp(DatabaseProvider.Sqlite);

public sealed class PostgresConversationPageApp() : ConversationPageApp(DatabaseProvider.Postgres);
