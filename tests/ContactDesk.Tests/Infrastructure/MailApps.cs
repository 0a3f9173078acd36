using ContactDesk.Data;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>An app that sends its email to its own <see cref="TestSmtpServer"/>, retrying fast.</summary>
public interface IMailApp
{
    TestSmtpServer Smtp { get; }

    ContactDeskApp App { get; }

    static IEnumerable<KeyValuePair<string, string?>> Settings(TestSmtpServer smtp) =>
    [
        new("Email:Smtp:Host", "127.0.0.1"),
        new("Email:Smtp:Port", smtp.Port.ToString()),
        new("Email:From", "ContactDesk <desk@contactdesk.test>"),
        new("Email:ExpectedResponseTime", "within 3 working days"),
        new("ContactDesk:PublicBaseUrl", "https://desk.example.org"),
        new("Email:Dispatch:PollSeconds", "0.1"),
        new("Email:Dispatch:FirstRetrySeconds", "0.1"),
        new("Email:Dispatch:MaxRetrySeconds", "0.5"),
        new("Email:Dispatch:MaxAttempts", "50"),
        new("Email:Dispatch:LeaseSeconds", "3"),
    ];
}

public sealed class SqliteMailApp : SqliteApp, IMailApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IMailApp.Settings(Smtp)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class PostgresMailApp : PostgresApp, IMailApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IMailApp.Settings(Smtp)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
