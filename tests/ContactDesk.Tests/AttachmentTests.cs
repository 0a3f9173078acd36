using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests;

/// <summary>
/// Contract section 7's files: limits that store nothing when passed, types from the bytes, names that
/// never become paths, content stored once; and a reply-and-resolve that is all or nothing.
/// </summary>
public abstract class AttachmentTests(IUploadApp upload)
{
    private readonly ContactDeskApp app = upload.App;

    [Fact]
    public async Task One_over_each_limit_is_413_and_stores_nothing()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        var url = $"/api/v1/contact/{ticket["id"]}/messages";
        var before = await FingerprintAsync();

        // Attachments:MaxFileBytes: one file a byte too large.
        await AssertTooLargeAsync(await moderator.Client.PostAsync(url,
            MultipartBody.Form(new { kind = "note", body = "x" }, ("big.bin", MultipartBody.Unique(IUploadApp.MaxFileBytes + 1)))));
        // Attachments:MaxFiles: one file too many.
        await AssertTooLargeAsync(await moderator.Client.PostAsync(url, MultipartBody.Form(new { kind = "note", body = "x" },
            [.. Enumerable.Range(0, IUploadApp.MaxFiles + 1).Select(i => ($"f{i}.bin", MultipartBody.Unique(10)))])));
        // Attachments:MaxMessageBytes: files within the per-file limit, a byte too many together.
        await AssertTooLargeAsync(await moderator.Client.PostAsync(url, MultipartBody.Form(new { kind = "reply", body = "x", status = "resolved" },
            ("a.bin", MultipartBody.Unique(IUploadApp.MaxFileBytes)), ("b.bin", MultipartBody.Unique(IUploadApp.MaxMessageBytes - IUploadApp.MaxFileBytes + 1)))));
        // The same on the public form.
        await AssertTooLargeAsync(await app.CreateClient().PostAsync("/api/v1/contact/submit", MultipartBody.Form(
            new { name = "Sam", email = "sam@example.com", subject = "Too big", message = "See file" }, ("big.bin", MultipartBody.Unique(IUploadApp.MaxFileBytes + 1)))));

        Assert.Equal(before, await FingerprintAsync());
        Assert.Empty(Directory.Exists(StagingFolder) ? Directory.GetFiles(StagingFolder) : []);

        // Exactly at every limit is fine.
        var atLimits = await moderator.Client.PostAsync(url, MultipartBody.Form(new { kind = "note", body = "x" },
            ("a.bin", MultipartBody.Unique(IUploadApp.MaxFileBytes)), ("b.bin", MultipartBody.Unique(IUploadApp.MaxMessageBytes - IUploadApp.MaxFileBytes))));
        await ResponseAssert.JsonAsync(atLimits, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_JSON_body_is_still_held_to_64_KiB_on_the_endpoints_that_take_files()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        var body = new StringContent($$"""{"kind": "note", "body": "{{new string('x', 70_000)}}"}""", Encoding.UTF8, "application/json");
        var response = await moderator.Client.PostAsync($"/api/v1/contact/{ticket["id"]}/messages", body);
        await ResponseAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Types_come_from_the_bytes_and_risky_ones_download_as_octet_stream()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        var html = Encoding.UTF8.GetBytes("<html><script>alert(document.cookie)</script></html>");
        var svg = Encoding.UTF8.GetBytes("""<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>""");
        var url = $"/api/v1/contact/{ticket["id"]}/messages";
        var markup = await moderator.Client.PostAsync(url, MultipartBody.Form(new { kind = "note" }, ("page.html", html), ("image.svg", svg)));
        var renamed = await moderator.Client.PostAsync(url, MultipartBody.Form(new { kind = "note" }, ("picture.exe", MultipartBody.Png), ("setup.png", MultipartBody.Exe)));
        JsonNode?[] files =
        [
            .. (await ResponseAssert.JsonAsync(markup, HttpStatusCode.Created))["attachments"]!.AsArray(),
            .. (await ResponseAssert.JsonAsync(renamed, HttpStatusCode.Created))["attachments"]!.AsArray(),
        ];

        Assert.Equal(["application/octet-stream", "application/octet-stream", "image/png", "application/octet-stream"],
            files.Select(f => (string)f!["content_type"]!));
        var served = new List<string>();
        foreach (var file in files)
        {
            var download = await moderator.Client.GetAsync($"/api/v1/attachments/{file!["id"]}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
            served.Add(download.Content.Headers.ContentType!.ToString());
        }
        // HTML and SVG are text by their bytes, but a browser would render them: bytes to download.
        Assert.Equal(["application/octet-stream", "application/octet-stream"], served[..2]);
        Assert.Equal("image/png", served[2]);
        Assert.Equal("application/octet-stream", served[3]);
    }

    [Fact]
    public async Task A_filename_never_reaches_a_path_and_the_same_content_is_stored_once()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        var content = MultipartBody.Unique(500);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var url = $"/api/v1/contact/{ticket["id"]}/messages";

        var first = await ResponseAssert.JsonAsync(await moderator.Client.PostAsync(url,
            MultipartBody.Form(new { kind = "note", body = "one" }, ("../../etc/passwd", content))), HttpStatusCode.Created);
        var second = await ResponseAssert.JsonAsync(await moderator.Client.PostAsync(url,
            MultipartBody.Form(new { kind = "note", body = "two" }, ("..\\..\\copy.bin", content), ("again.bin", content))), HttpStatusCode.Created);

        Assert.Equal("passwd", (string)first["attachments"]![0]!["filename"]!);
        Assert.Equal(["copy.bin", "again.bin"], second["attachments"]!.AsArray().Select(f => (string)f!["filename"]!));
        Assert.Equal(1, await app.QueryAsync(db => db.AttachmentBlobs.CountAsync(b => b.Sha256 == sha)));
        Assert.Equal(3, await app.QueryAsync(db => db.MessageAttachments.CountAsync(a => a.Sha256 == sha)));
        var download = await moderator.Client.GetAsync($"/api/v1/attachments/{first["attachments"]![0]!["id"]}");
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("passwd", download.Content.Headers.ContentDisposition!.FileNameStar);
        // On disk the file is named by its hash alone, whatever the sender called it.
        var stored = Directory.GetFiles(Path.Combine(app.DataDirectory, "attachments"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(app.DataDirectory, "attachments"), f)).Where(f => !f.StartsWith(".incoming")).ToList();
        Assert.Equal(app is SqliteDiskUploadApp ? [Path.Combine(sha[..2], sha)] : [], stored.Where(f => f.EndsWith(sha) || f.Contains("passwd")));
        Assert.Equal(app is SqliteDiskUploadApp, await app.QueryAsync(db => db.AttachmentBlobs.AnyAsync(b => b.Sha256 == sha && b.Content == null)));
    }

    [Fact]
    public async Task Reply_and_resolve_is_one_transaction_a_failed_commit_leaves_nothing_half_done()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        var id = (string)ticket["id"]!;
        var before = await FingerprintAsync();
        var ticketBefore = await moderator.Client.GetStringAsync($"/api/v1/contact/{id}");

        upload.Fault.ArmedFor = $"/{id}/messages";
        var response = await moderator.Client.PostAsync($"/api/v1/contact/{id}/messages",
            MultipartBody.Form(new { kind = "reply", body = "Fixed, closing.", status = "resolved" }, ("fix.bin", MultipartBody.Unique(300))));

        Assert.Equal(1, upload.Fault.Fired);
        await ResponseAssert.ProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal(before, await FingerprintAsync());
        Assert.Equal(ticketBefore, await moderator.Client.GetStringAsync($"/api/v1/contact/{id}"));
        Assert.Single(await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{id}/messages") ?? []);

        // The same request once the database is back does all of it.
        var again = await moderator.Client.PostAsync($"/api/v1/contact/{id}/messages",
            MultipartBody.Form(new { kind = "reply", body = "Fixed, closing.", status = "resolved" }, ("fix.bin", MultipartBody.Unique(300))));
        await ResponseAssert.JsonAsync(again, HttpStatusCode.Created);
        Assert.Equal("resolved", (string)(await moderator.Client.GetObjectAsync($"/api/v1/contact/{id}"))["status"]!);
    }

    private string StagingFolder => Path.Combine(app.DataDirectory, "attachments", ".incoming");

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var problem = await ResponseAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Attachments:", (string)problem["detail"]!);
    }

    private Task<string> FingerprintAsync() => app.QueryAsync(async db => string.Join(", ",
        $"tickets {await db.Tickets.CountAsync()}",
        $"versions {await db.Tickets.SumAsync(t => t.Version)}",
        $"messages {await db.Messages.CountAsync()}",
        $"attachments {await db.MessageAttachments.CountAsync()}",
        $"blobs {await db.AttachmentBlobs.CountAsync()}",
        $"audit {await db.AuditEntries.CountAsync()}",
        $"emails {await db.OutboxEmails.CountAsync()}",
        $"thread ids {await db.ThreadEmailIds.CountAsync()}",
        $"portal tokens {await db.PortalTokens.CountAsync()}"));
}

public sealed class AttachmentTestsOnSqlite(SqliteUploadApp app) : AttachmentTests(app), IClassFixture<SqliteUploadApp>;

public sealed class AttachmentTestsOnFilesystem(SqliteDiskUploadApp app) : AttachmentTests(app), IClassFixture<SqliteDiskUploadApp>;

public sealed class AttachmentTestsOnPostgres(PostgresUploadApp app) : AttachmentTests(app), IClassFixture<PostgresUploadApp>;
