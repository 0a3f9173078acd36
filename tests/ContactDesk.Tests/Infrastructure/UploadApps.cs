using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// Makes the database refuse to commit the transaction of one request (the request whose path
/// contains <see cref="ArmedFor"/>), as if it died between the writes and the commit.
/// </summary>
public sealed class CommitFault(IHttpContextAccessor http) : DbTransactionInterceptor
{
    public string? ArmedFor { get; set; }

    public int Fired { get; private set; }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken ct = default)
    {
        if (ArmedFor is { } marker && http.HttpContext?.Request.Path.Value?.Contains(marker) == true)
        {
            ArmedFor = null;
            Fired++;
            throw new InvalidOperationException("Injected fault: the database went away before the commit.");
        }
        return ValueTask.FromResult(result);
    }
}

/// <summary>An app with small attachment limits (bytes, not MiB) and a <see cref="CommitFault"/>.</summary>
public interface IUploadApp
{
    public const int MaxFileBytes = 1000, MaxFiles = 2, MaxMessageBytes = 1500;

    ContactDeskApp App { get; }

    CommitFault Fault { get; }

    static IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Attachments:MaxFileBytes", MaxFileBytes.ToString()),
        new("Attachments:MaxFiles", MaxFiles.ToString()),
        new("Attachments:MaxMessageBytes", MaxMessageBytes.ToString()),
    ];

    static void AddFault(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(s => s.AddSingleton<CommitFault>().AddSingleton<IInterceptor>(sp => sp.GetRequiredService<CommitFault>()));
}

public class SqliteUploadApp : SqliteApp, IUploadApp
{
    public ContactDeskApp App => this;

    public CommitFault Fault => Services.GetRequiredService<CommitFault>();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IUploadApp.Settings()];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        IUploadApp.AddFault(builder);
    }
}

public sealed class PostgresUploadApp : PostgresApp, IUploadApp
{
    public ContactDeskApp App => this;

    public CommitFault Fault => Services.GetRequiredService<CommitFault>();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IUploadApp.Settings()];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        IUploadApp.AddFault(builder);
    }
}

/// <summary>The same with <c>Attachments:Store=filesystem</c>: contents as files named by their hash.</summary>
public sealed class SqliteDiskUploadApp : SqliteUploadApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Attachments:Store", "filesystem")];
}
