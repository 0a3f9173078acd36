using ContactDesk.Attachments;
using ContactDesk.Data;
using ContactDesk.Notifications;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactDesk.Operations;

/// <summary>
/// Where the app keeps what it writes. Relative paths (the defaults <c>data/contactdesk.db</c>,
/// <c>data/mail</c>, <c>data/attachments</c>) are taken from the working directory, the folder the
/// program is started in, as for any command; they are made absolute once, so that every log line
/// naming one says exactly where, and one line at start-up lists them all.
/// </summary>
public static class DataLocations
{
    public static IServiceCollection AddDataLocations(this IServiceCollection services)
    {
        services.PostConfigure<EmailOptions>(o =>
        {
            o.PickupDirectory = Absolute(o.PickupDirectory);
            if (o.Inbound.PickupDirectory is { Length: > 0 } inbound)
            {
                o.Inbound.PickupDirectory = Absolute(inbound);
            }
        });
        services.PostConfigure<AttachmentOptions>(o => o.Path = Absolute(o.Path));
        services.AddHostedService<StartupReport>();
        return services;
    }

    private static string Absolute(string path) => string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path);

    /// <summary>The database as an operator names it: the SQLite file's full path, or the PostgreSQL server and database (never the password).</summary>
    public static string Database(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var postgres = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL database '{postgres.Database}' on {postgres.Host}:{postgres.Port}";
        }
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return file is "" or ":memory:" ? $"SQLite {file}" : $"SQLite file {Path.GetFullPath(file)}";
    }

    private sealed class StartupReport(IOptions<DatabaseOptions> database, IConfiguration configuration, IOptions<EmailOptions> email,
        IOptions<AttachmentOptions> attachments, ILogger<StartupReport> log) : IHostedService
    {
        public Task StartAsync(CancellationToken ct)
        {
            var connectionString = configuration.GetConnectionString("Default") is { Length: > 0 } cs ? cs : DatabaseSetup.DefaultConnectionString;
            var mail = string.IsNullOrWhiteSpace(email.Value.Smtp.Host)
                ? $"written as .eml files to {email.Value.PickupDirectory}"
                : $"sent to {email.Value.Smtp.Host}:{email.Value.Smtp.Port}";
            var files = attachments.Value.OnDisk
                ? $"stored in {attachments.Value.Path}"
                : $"stored in the database, uploads staged in {Path.Combine(attachments.Value.Path, ".incoming")}";
            log.LogInformation("Data: {Database}; emails {Mail}; attachments {Attachments}; working directory {WorkingDirectory}.",
                Database(database.Value.Provider, connectionString), mail, files, Environment.CurrentDirectory);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
