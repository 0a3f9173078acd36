namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The app on a real port with <see cref="Chromium"/>, its own <see cref="TestSmtpServer"/> and
/// the small attachment limits of <see cref="IUploadApp"/> (bytes, not MiB), on either database:
/// the conversation pages end to end, from the browser to the submitter's mailbox.
/// </summary>
public interface IConversationPageApp
{
    ContactDeskApp App { get; }

    TestSmtpServer Smtp { get; }

    Chromium Chromium { get; }

    static IEnumerable<KeyValuePair<string, string?>> Settings(TestSmtpServer smtp) => [.. IMailApp.Settings(smtp), .. IUploadApp.Settings()];
}

public sealed class SqliteConversationPageApp : SqliteApp, IConversationPageApp, IAsyncLifetime
{
    public SqliteConversationPageApp() => this.ListenOnLoopback();

    public ContactDeskApp App => this;

    public TestSmtpServer Smtp { get; } = new();

    public Chromium Chromium { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IConversationPageApp.Settings(Smtp)];

    public async Task InitializeAsync() => Chromium = await Chromium.LaunchAsync(this);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class PostgresConversationPageApp : PostgresApp, IConversationPageApp, IAsyncLifetime
{
    public PostgresConversationPageApp() => this.ListenOnLoopback();

    public ContactDeskApp App => this;

    public TestSmtpServer Smtp { get; } = new();

    public Chromium Chromium { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IConversationPageApp.Settings(Smtp)];

    public async Task InitializeAsync() => Chromium = await Chromium.LaunchAsync(this);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
