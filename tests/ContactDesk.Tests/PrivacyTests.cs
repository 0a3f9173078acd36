using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Privacy;
using ContactDesk.Tests.Inbound;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// Contract §12's data-protection requests on both databases and both attachment stores: the export
/// holds everything of an address and nothing of anyone else; after an erasure no text of the person
/// is left in any column of any table; retention archives and deletes by age.
/// </summary>
public abstract class PrivacyTests(IPrivacyApp privacy)
{
    private const string Export = "/api/v1/admin/privacy/export";
    private const string Erase = "/api/v1/admin/privacy/erase";

    private readonly ContactDeskApp app = privacy.App;
    private readonly TestSmtpServer smtp = privacy.Smtp;

    /// <summary>A person with texts no other test uses, and their two tickets: a reply with a file, a note, an emailed answer.</summary>
    private sealed record Person(string Email, string Name, string Subject, string Phrase, string Note, string FileName, byte[] File, List<JsonObject> Tickets)
    {
        public string[] Secrets => [Email, Name, Subject, Phrase, Note, FileName];
    }

    private async Task<Person> PersonWithTicketsAsync(TestUser admin, byte[]? file = null)
    {
        var key = Guid.NewGuid().ToString("N")[..12];
        var person = new Person(Mail.Unique("person"), $"Quill Vantablack{key}", $"Refund for order {key}", $"marmalade{key} is missing",
            $"notehush{key}", $"scan{key}.bin", file ?? MultipartBody.Unique(700), []);
        var first = await app.SubmitAsync(subject: person.Subject, message: $"Hello, {person.Phrase}.", name: person.Name, email: person.Email);
        var second = await app.SubmitAsync(subject: $"Second: {person.Subject}", message: "Another question.", name: person.Name, email: person.Email.ToUpperInvariant());
        person.Tickets.AddRange([first, second]);

        var reply = await admin.Client.PostAsync($"{Contact}/{first["id"]}/messages",
            MultipartBody.Form(new { kind = "reply", body = $"About {person.Phrase}: see the file." }, (person.FileName, person.File)));
        await ResponseAssert.JsonAsync(reply, HttpStatusCode.Created);
        await (await admin.Client.PostAsJsonAsync($"{Contact}/{first["id"]}/messages", new { kind = "note", body = $"{person.Name} called." }))
            .AssertStatusAsync(HttpStatusCode.Created);
        await (await admin.Client.PatchJsonAsync(first.IdOf(), new { admin_notes = person.Note })).AssertStatusAsync(HttpStatusCode.OK);
        var number = (string)first["ticket_number"]!;
        var answer = await Mail.IngestAsync(app, Mail.Text(person.Email, $"Re: [{number}] {person.Subject}", $"Thanks, {person.Phrase} again.", fromName: person.Name));
        Assert.Equal(first.IdOf(), answer.TicketId);
        // The confirmations, the reply and the admins' notices sent: sent ones are redacted, not deleted.
        await smtp.WaitUntilAsync(r => r.Count(m => m.To == person.Email || m.To == person.Email.ToUpperInvariant()) >= 3);
        return person;
    }

    [Fact]
    public async Task The_export_holds_every_ticket_message_and_file_of_the_address_and_nothing_of_anyone_else()
    {
        var admin = await app.CreateUserAsync(Roles.Admin, "Erin Admin");
        var person = await PersonWithTicketsAsync(admin);
        var other = await app.SubmitAsync(subject: $"Other {Guid.NewGuid():N}", message: "Not theirs.", name: "Olga Other", email: Mail.Unique("other"));

        var response = await admin.Client.GetAsync($"{Export}?email={Uri.EscapeDataString(person.Email.ToUpperInvariant())}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var json = await new StreamReader(zip.GetEntry("data.json")!.Open()).ReadToEndAsync();
        var data = JsonNode.Parse(json)!.AsObject();

        Assert.Equal(person.Email, (string)data["email"]!);
        var tickets = data["tickets"]!.AsArray();
        Assert.Equal(person.Tickets.Select(t => (string)t["ticket_number"]!), tickets.Select(t => (string)t!["ticket_number"]!));
        var first = tickets[0]!;
        Assert.Equal(person.Name, (string)first["name"]!);
        Assert.Equal(person.Note, (string)first["admin_notes"]!);
        var messages = first["messages"]!.AsArray();
        Assert.Equal(["customer", "reply", "note", "customer"], messages.Select(m => (string)m!["kind"]!));
        Assert.Equal($"Thanks, {person.Phrase} again.", ((string)messages[3]!["body"]!).Trim());
        Assert.Contains("created", first["history"]!.AsArray().Select(h => (string)h!["action"]!));
        Assert.Contains(first["emails"]!.AsArray(), e => (string)e!["kind"]! == "confirmation");
        Assert.All(first["emails"]!.AsArray(), e => Assert.Equal(person.Email, ((string)e!["to"]!).ToLowerInvariant()));
        Assert.NotEmpty(first["portal_links"]!.AsArray());

        var file = messages[1]!["attachments"]![0]!;
        Assert.Equal(person.FileName, (string)file["file_name"]!);
        Assert.Equal(person.File, await BytesAsync(zip, (string)file["path"]!));
        var mail = first["inbound_emails"]![0]!;
        Assert.Contains(person.Phrase, Encoding.UTF8.GetString(await BytesAsync(zip, (string)mail["path"]!)));
        Assert.Equal(["data.json", (string)file["path"]!, (string)mail["path"]!], zip.Entries.Select(e => e.FullName));

        Assert.DoesNotContain((string)other["email"]!, json);
        Assert.DoesNotContain((string)other["subject"]!, json);
        Assert.DoesNotContain("Olga Other", json);
    }

    [Fact]
    public async Task Erasing_leaves_no_trace_in_any_table_keeps_the_skeletons_and_others_and_a_repeat_counts_zero()
    {
        var admin = await app.CreateUserAsync(Roles.Admin, "Erin Admin");
        // A webhook (to a receiver on loopback: no connection leaves the machine) holds the tickets and messages in its deliveries' bodies.
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhook = await ResponseAssert.JsonAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/webhooks", new
        {
            url = receiver.NewUrl(), events = new[] { "ticket.created", "ticket.updated", "ticket.resolved", "message.created" },
        }), HttpStatusCode.Created);
        var shared = MultipartBody.Unique(600);
        var person = await PersonWithTicketsAsync(admin);
        var sharedFile = await (await admin.Client.PostAsync($"{Contact}/{person.Tickets[1]["id"]}/messages",
            MultipartBody.Form(new { kind = "note", body = "A file someone else also has." }, ("shared.bin", shared)))).ReadObjectAsync();
        var sharedSha = (string)sharedFile["attachments"]![0]!["sha256"]!;
        var otherEmail = Mail.Unique("other");
        var other = await app.SubmitAsync(subject: $"Other {Guid.NewGuid():N}", message: "Keep me.", name: "Olga Other", email: otherEmail);
        var otherFile = await (await admin.Client.PostAsync($"{Contact}/{other["id"]}/messages",
            MultipartBody.Form(new { kind = "reply", body = "Same bytes." }, ("same.bin", shared)))).ReadObjectAsync();
        var personSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(person.File));
        // The scan sees the person everywhere they are before the erasure (a scan that saw nothing would prove nothing).
        var seen = await TablesMentioningAsync(person.Secrets);
        string[] expected = ["tickets.name", "tickets.search_text", "ticket_messages.body", "message_attachments.file_name", "audit_entries.changes",
            "outbox_emails.text_body", "outbox_emails.to_address", "inbound_emails.raw", "webhook_deliveries.payload", .. app.Provider == Data.DatabaseProvider.Postgres ? new[] { "search_tokens.token" } : []];
        Assert.Empty(expected.Except(seen));

        using var scope = app.Services.CreateScope();
        var preview = await scope.ServiceProvider.GetRequiredService<PrivacyEraser>().PreviewAsync(person.Email, default);
        Assert.Equal(person.Tickets.Select(t => (string)t["ticket_number"]!), preview.TicketNumbers);

        var erased = await ResponseAssert.JsonAsync(await admin.Client.PostAsJsonAsync(Erase, new { email = person.Email }), HttpStatusCode.OK);
        Assert.Equal(2, (int)erased["tickets"]!);
        Assert.Equal(6, (int)erased["messages"]!); // 2 submissions, the reply, the note, the emailed answer, the shared file's note
        Assert.Equal(2, (int)erased["attachments"]!);

        Assert.Empty(await TablesMentioningAsync(person.Secrets));
        Assert.False(await app.QueryAsync(db => db.AttachmentBlobs.AnyAsync(b => b.Sha256 == personSha)));
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "attachments", personSha[..2], personSha)));
        foreach (var term in new[] { person.Name.Split(' ')[1], person.Phrase.Split(' ')[0] })
        {
            var found = await admin.Client.GetObjectAsync($"{Contact}/?search={Uri.EscapeDataString(term)}&status=pending,in_progress,resolved,archived");
            Assert.Equal(0, (int)found["total"]!);
        }

        // The skeletons: number, category, status and dates; one erased entry without personal data.
        foreach (var before in person.Tickets)
        {
            var after = await admin.Client.GetObjectAsync($"{Contact}/{before["id"]}");
            foreach (var field in new[] { "ticket_number", "category", "status", "created_at" })
            {
                Assert.Equal(before[field]!.ToJsonString(), after[field]!.ToJsonString());
            }
            Assert.Equal(PersonalData.Erased, (string)after["name"]!);
            Assert.Equal(PersonalData.Erased, (string)after["subject"]!);
            var history = await admin.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{before["id"]}/history");
            var last = history![^1]!;
            Assert.Equal("erased", (string)last["action"]!);
            Assert.Equal("{}", last["changes"]!.ToJsonString());
            var thread = await admin.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{before["id"]}/messages");
            Assert.All(thread!, m => Assert.Equal(PersonalData.Erased, (string)m!["body"]!));
        }

        // Everyone else's data is untouched, the shared file included.
        var kept = await admin.Client.GetObjectAsync($"{Contact}/{other["id"]}");
        Assert.Equal("Olga Other", (string)kept["name"]!);
        Assert.Equal(otherEmail, (string)kept["email"]!);
        var download = await admin.Client.GetAsync($"/api/v1/attachments/{otherFile["attachments"]![0]!["id"]}");
        Assert.Equal(shared, await download.Content.ReadAsByteArrayAsync());
        Assert.True(await app.QueryAsync(db => db.AttachmentBlobs.AnyAsync(b => b.Sha256 == sharedSha)));

        var again = await ResponseAssert.JsonAsync(await admin.Client.PostAsJsonAsync(Erase, new { email = person.Email }), HttpStatusCode.OK);
        Assert.Equal("""{"tickets":0,"messages":0,"attachments":0}""", again.ToJsonString());
        // The webhook goes with its receiver: the app shared by this class posts to no closed port afterwards.
        await (await admin.Client.DeleteAsync($"/api/v1/admin/webhooks/{webhook["id"]}")).AssertStatusAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Only_admins_may_export_or_erase_and_the_address_is_checked()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var admin = await app.CreateUserAsync(Roles.Admin);
        var email = Mail.Unique("guarded");
        await app.SubmitAsync(email: email);

        await (await moderator.Client.GetAsync($"{Export}?email={email}")).AssertStatusAsync(HttpStatusCode.Forbidden);
        await (await moderator.Client.PostAsJsonAsync(Erase, new { email })).AssertStatusAsync(HttpStatusCode.Forbidden);
        await (await app.CreateClient().PostAsJsonAsync(Erase, new { email })).AssertStatusAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Email == email)));

        var problem = await ResponseAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(Erase, new { email = "not an address" }), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["email"]);
        await ResponseAssert.ProblemAsync(await admin.Client.GetAsync(Export), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Retention_archives_resolved_tickets_and_deletes_archived_ones_by_age_once_across_instances()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var now = DateTime.UtcNow;
        var oldResolved = await ResolvedAsync(admin, now.AddDays(-IPrivacyApp.ArchiveAfterDays - 1));
        var newResolved = await ResolvedAsync(admin, now.AddDays(-IPrivacyApp.ArchiveAfterDays + 1));
        var file = MultipartBody.Unique(500);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
        var oldArchived = await ArchivedAsync(admin, now.AddDays(-IPrivacyApp.DeleteAfterDays - 1), file);
        var newArchived = await ArchivedAsync(admin, now.AddDays(-IPrivacyApp.DeleteAfterDays + 1));

        // Two instances at once: each ticket is acted on once.
        var runs = await Task.WhenAll(RunRetentionAsync(), RunRetentionAsync());
        Assert.Equal(1, runs.Sum(r => r.Archived));
        Assert.Equal(1, runs.Sum(r => r.Deleted));

        Assert.Equal("archived", (string)(await admin.Client.GetObjectAsync($"{Contact}/{oldResolved}"))["status"]!);
        var history = await admin.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{oldResolved}/history");
        Assert.Single(history!, h => (string)h!["action"]! == "archived");
        Assert.Null(history![^1]!["actor"]);
        Assert.Equal("resolved", (string)(await admin.Client.GetObjectAsync($"{Contact}/{newResolved}"))["status"]!);
        Assert.Equal("archived", (string)(await admin.Client.GetObjectAsync($"{Contact}/{newArchived}"))["status"]!);
        await (await admin.Client.GetAsync($"{Contact}/{oldArchived}")).AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.False(await app.QueryAsync(db => db.Messages.AnyAsync(m => m.TicketId == oldArchived)));
        Assert.False(await app.QueryAsync(db => db.OutboxEmails.AnyAsync(m => m.TicketId == oldArchived)));
        Assert.False(await app.QueryAsync(db => db.AttachmentBlobs.AnyAsync(b => b.Sha256 == sha)));
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "attachments", sha[..2], sha)));

        Assert.Equal((0, 0), await RunRetentionAsync());
    }

    private async Task<Guid> ResolvedAsync(TestUser admin, DateTime resolvedAt)
    {
        var id = (await app.SubmitAsync(email: Mail.Unique("retention"))).IdOf();
        await (await admin.Client.ActAsync(id, "mark-resolved")).AssertStatusAsync(HttpStatusCode.OK);
        await app.QueryAsync(db => db.Tickets.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ResolvedAt, resolvedAt).SetProperty(t => t.UpdatedAt, resolvedAt)));
        return id;
    }

    private async Task<Guid> ArchivedAsync(TestUser admin, DateTime archivedAt, byte[]? file = null)
    {
        var id = (await app.SubmitAsync(email: Mail.Unique("retention"))).IdOf();
        if (file is not null)
        {
            var note = await admin.Client.PostAsync($"{Contact}/{id}/messages", MultipartBody.Form(new { kind = "note", body = "A file." }, ("old.bin", file)));
            await note.AssertStatusAsync(HttpStatusCode.Created);
        }
        await (await admin.Client.ActAsync(id, "archive")).AssertStatusAsync(HttpStatusCode.OK);
        await SetDatesAsync(id, archivedAt);
        return id;
    }

    private Task<int> SetDatesAsync(Guid id, DateTime at) =>
        app.QueryAsync(db => db.Tickets.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, at)));

    private async Task<(int Archived, int Deleted)> RunRetentionAsync()
    {
        await Task.Yield();
        return await app.Services.GetRequiredService<RetentionJob>().RunOnceAsync(default);
    }

    private static async Task<byte[]> BytesAsync(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(path);
        Assert.NotNull(entry);
        using var content = new MemoryStream();
        await entry.Open().CopyToAsync(content);
        return content.ToArray();
    }

    /// <summary>"table.column" for every value in the whole database (text, and bytes read as text) that contains one of <paramref name="secrets"/>.</summary>
    private Task<List<string>> TablesMentioningAsync(IReadOnlyList<string> secrets) => app.QueryAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = app.Provider == Data.DatabaseProvider.Postgres
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains("audit_entries", tables);
        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.Latin1.GetString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    };
                    if (text is not null && secrets.Any(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)))
                    {
                        found.Add($"{table}.{reader.GetName(i)}");
                    }
                }
            }
        }
        await db.Database.CloseConnectionAsync();
        return found.Distinct().ToList();
    });
}

public sealed class PrivacyTestsOnSqlite(SqlitePrivacyApp app) : PrivacyTests(app), IClassFixture<SqlitePrivacyApp>;

public sealed class PrivacyTestsOnSqliteWithFiles(SqliteDiskPrivacyApp app) : PrivacyTests(app), IClassFixture<SqliteDiskPrivacyApp>;

public sealed class PrivacyTestsOnPostgres(PostgresPrivacyApp app) : PrivacyTests(app), IClassFixture<PostgresPrivacyApp>;
