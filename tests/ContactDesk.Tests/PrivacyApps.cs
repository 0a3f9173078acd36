using ContactDesk.Tests.Inbound;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests;

/// <summary>An app that takes email in and sends its own, with retention on, for <see cref="PrivacyTests"/>.</summary>
public interface IPrivacyApp : IInboundApp
{
    public const int ArchiveAfterDays = 30, DeleteAfterDays = 90;

    /// <summary>Where file contents are kept: <c>database</c> or <c>filesystem</c>.</summary>
    string Store { get; }

    static IEnumerable<KeyValuePair<string, string?>> PrivacySettings(TestSmtpServer smtp, string store) =>
    [
        .. IInboundApp.InboundSettings(smtp),
        new("Attachments:Store", store),
        new("Retention:ArchiveResolvedAfterDays", ArchiveAfterDays.ToString()),
        new("Retention:DeleteArchivedAfterDays", DeleteAfterDays.ToString()),
        new("Webhooks:AllowPrivateNetworks", "true"), // the erasure test's webhook posts to a receiver on loopback
    ];
}

public class SqlitePrivacyApp : SqliteApp, IPrivacyApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    public virtual string Store => "database";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IPrivacyApp.PrivacySettings(Smtp, Store)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SqliteDiskPrivacyApp : SqlitePrivacyApp
{
    public override string Store => "filesystem";
}

public sealed class PostgresPrivacyApp : PostgresApp, IPrivacyApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    public string Store => "database";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IPrivacyApp.PrivacySettings(Smtp, Store)];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
