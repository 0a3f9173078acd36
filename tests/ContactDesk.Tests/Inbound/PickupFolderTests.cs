using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests.Inbound;

/// <summary>The development source: *.eml dropped into a folder, moved to processed/ or failed/.</summary>
public abstract class PickupFolderTests(ContactDeskApp app, string folder)
{
    [Fact]
    public async Task A_dropped_email_becomes_a_ticket_and_a_file_that_is_no_email_goes_to_failed()
    {
        _ = app.Server; // start the host and with it the folder reader
        var sender = Mail.Unique("folder");
        Directory.CreateDirectory(folder);
        // Written under another name and renamed, as a mail program or MTA drops a file whole.
        await File.WriteAllBytesAsync(Path.Combine(folder, "good.tmp"), Mail.Bytes(Mail.Text(sender, "From a folder", "Dropped in.")));
        File.Move(Path.Combine(folder, "good.tmp"), Path.Combine(folder, "good.eml"));
        await File.WriteAllBytesAsync(Path.Combine(folder, "junk.eml"), [0, 1, 2, 3, 0xff]);

        await Mail.Eventually(() => Task.FromResult(File.Exists(Path.Combine(folder, "processed", "good.eml")) && File.Exists(Path.Combine(folder, "failed", "junk.eml"))));
        await Mail.Eventually(async () => await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == sender)) == 1);
        Assert.Empty(Directory.GetFiles(folder, "*.eml"));
        Assert.Equal("Dropped in.", await app.QueryAsync(db => db.Messages.Where(m => m.FromEmail == sender).Select(m => m.Body).SingleAsync()));
    }
}

public sealed class SqlitePickupApp : SqliteApp
{
    public string Folder => Path.Combine(DataDirectory, "inbox");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Email:Inbound:PickupDirectory", Folder)];
}

public sealed class PostgresPickupApp : PostgresApp
{
    public string Folder => Path.Combine(DataDirectory, "inbox");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Email:Inbound:PickupDirectory", Folder)];
}

public sealed class PickupFolderTestsOnSqlite(SqlitePickupApp app) : PickupFolderTests(app, app.Folder), IClassFixture<SqlitePickupApp>;

public sealed class PickupFolderTestsOnPostgres(PostgresPickupApp app) : PickupFolderTests(app, app.Folder), IClassFixture<PostgresPickupApp>;
