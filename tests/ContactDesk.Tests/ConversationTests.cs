using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace ContactDesk.Tests;

/// <summary>Contract section 7: the thread, staff replies emailed as one conversation, notes kept inside.</summary>
public abstract class ConversationTests(IMailApp mail)
{
    private readonly ContactDeskApp app = mail.App;
    private readonly TestSmtpServer smtp = mail.Smtp;

    [Fact]
    public async Task The_submission_is_the_first_customer_message_and_the_ticket_waits_on_staff()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync(message: "My parcel never came.", email: Unique("first"));

        Assert.Equal("staff", (string?)ticket["waiting_on"]);
        Assert.Equal(1, (int)ticket["message_count"]!);
        Assert.Null(ticket["first_response_at"]);
        Assert.Equal((string)ticket["created_at"]!, (string)ticket["last_message_at"]!);

        var thread = await ThreadAsync(moderator, ticket);
        var first = Assert.Single(thread);
        Assert.Equal("customer", (string)first!["kind"]!);
        Assert.Equal("api", (string)first["source"]!);
        Assert.Null(first["author"]);
        Assert.Equal((string)ticket["email"]!, (string)first["from_email"]!);
        Assert.Equal("My parcel never came.", (string)first["body"]!);
        Assert.Null(first["delivery"]);
        Assert.Empty(first["attachments"]!.AsArray());
        Assert.Equal(DateTime.Parse((string)ticket["created_at"]!), DateTime.Parse((string)first["created_at"]!));
    }

    [Fact]
    public async Task Replies_are_emailed_threaded_under_the_confirmation_and_notes_never_leave()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator, "Mona Moderator");
        var submitter = Unique("thread");
        var ticket = await app.SubmitAsync(subject: "Where is order 42?", email: submitter);
        var number = (string)ticket["ticket_number"]!;
        var confirmation = (await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Count == 1)).Single(m => m.To == submitter && m.Subject.Contains(number));

        var reply1 = await PostAsync(moderator, ticket, new { kind = "reply", body = "It left our warehouse today." });
        var note = await PostAsync(moderator, ticket, new { kind = "note", body = "Checked with the courier." });
        var reply2 = await PostAsync(moderator, ticket, new { kind = "reply", body = "It should arrive tomorrow." });

        Assert.Equal("reply", (string)reply1["kind"]!);
        Assert.Equal(moderator.Id.ToString(), (string)reply1["author"]!["id"]!);
        Assert.Equal("Mona Moderator", (string)reply1["author"]!["name"]!);
        Assert.Equal(moderator.Email, (string)reply1["from_email"]!);
        Assert.Equal("queued", (string)reply1["delivery"]!);
        Assert.Null(note["delivery"]);

        var mails = await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Count == 3);
        var replies = ToSubmitter(mails, number, submitter).Where(m => m.Subject.StartsWith("Re:")).Select(m => m.Message).ToList();
        Assert.Equal(2, replies.Count);
        var first = replies.Single(m => m.TextBody!.Contains("It left our warehouse today."));
        var second = replies.Single(m => m.TextBody!.Contains("It should arrive tomorrow."));
        Assert.DoesNotContain(mails, m => m.Message.TextBody?.Contains("Checked with the courier.") == true);
        var confirmationId = confirmation.Message.MessageId!;

        Assert.Equal($"Re: Where is order 42? [{number}]", first.Subject);
        Assert.Equal(confirmationId, first.InReplyTo);
        Assert.Equal([confirmationId], first.References.ToList());
        Assert.Equal(first.MessageId, second.InReplyTo);
        Assert.Equal([confirmationId, first.MessageId!], second.References.ToList());
        Assert.Equal("desk@contactdesk.test", first.ReplyTo.Mailboxes.Single().Address);
        Assert.Null(first.Headers[HeaderId.AutoSubmitted]);
        Assert.Equal("auto-replied", confirmation.Message.Headers[HeaderId.AutoSubmitted]);
        // Message-IDs nobody can guess: long random local parts, all different.
        Assert.All(new[] { first, second }, m => Assert.True(m.MessageId!.Split('@')[0].Length >= 32, m.MessageId));
        Assert.Matches("https://desk\\.example\\.org/t/[a-z2-7]{32}", first.TextBody!);
        Assert.Contains("It left our warehouse today.", first.HtmlBody);

        var thread = await ThreadAsync(moderator, ticket);
        Assert.Equal(["customer", "reply", "note", "reply"], thread.Select(m => (string)m!["kind"]!));
        Assert.Equal([(string)reply1["id"]!, (string)note["id"]!, (string)reply2["id"]!], thread.Skip(1).Select(m => (string)m!["id"]!));
        await Eventually(async () => (string?)(await ThreadAsync(moderator, ticket))[1]!["delivery"] == "sent");

        var updated = await moderator.Client.GetObjectAsync($"/api/v1/contact/{ticket["id"]}");
        Assert.Equal("submitter", (string?)updated["waiting_on"]);
        Assert.Equal(4, (int)updated["message_count"]!);
        Assert.Equal((string)reply1["created_at"]!, (string)updated["first_response_at"]!);
        Assert.Equal((string)reply2["created_at"]!, (string)updated["last_message_at"]!);
        // A reply to an unassigned ticket assigns the one who answered.
        Assert.Equal(moderator.Id.ToString(), (string)updated["assigned_to"]!["id"]!);

        var history = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{ticket["id"]}/history");
        var added = history!.Where(h => (string)h!["action"]! == "message_added").ToList();
        Assert.Equal(["reply", "note", "reply"], added.Select(h => (string)h!["changes"]!["kind"]![1]!));
        Assert.All(added, h => Assert.Null(h!["changes"]!["kind"]![0]));
    }

    [Fact]
    public async Task Reply_and_resolve_sends_one_email_that_says_resolved_and_reopening_waits_on_the_submitter_again()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Unique("resolve");
        var ticket = await app.SubmitAsync(subject: "Refund", email: submitter);
        var number = (string)ticket["ticket_number"]!;
        await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Count == 1);

        await PostAsync(moderator, ticket, new { kind = "reply", body = "Refunded today.", status = "resolved" });

        var resolved = await moderator.Client.GetObjectAsync($"/api/v1/contact/{ticket["id"]}");
        Assert.Equal("resolved", (string)resolved["status"]!);
        Assert.Null(resolved["waiting_on"]);
        Assert.Equal(moderator.Id.ToString(), (string)resolved["resolved_by"]!["id"]!);
        var mails = await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Count == 2);
        await Task.Delay(500); // a resolution email, were one owed, is queued in the same transaction and would be here by now
        var toSubmitter = ToSubmitter(smtp.Received, number, submitter);
        Assert.Equal(2, toSubmitter.Count);
        var reply = toSubmitter.Single(m => m.Subject.StartsWith("Re:"));
        Assert.Equal($"Re: Refund [{number}] (resolved)", reply.Subject);
        Assert.Contains("resolved", reply.Message.TextBody);

        var history = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{ticket["id"]}/history");
        Assert.Equal(["created", "message_added", "resolved"], history!.Select(h => (string)h!["action"]!));

        var reopened = await moderator.Client.PatchJsonAsync(Guid.Parse((string)ticket["id"]!), new { status = "in_progress" });
        Assert.Equal("submitter", (string?)(await reopened.ReadObjectAsync())["waiting_on"]);
    }

    [Fact]
    public async Task A_note_does_not_change_whom_the_ticket_waits_on_nor_its_first_response()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync(email: Unique("note"));
        await PostAsync(moderator, ticket, new { kind = "note", body = "Internal only." });

        var after = await moderator.Client.GetObjectAsync($"/api/v1/contact/{ticket["id"]}");
        Assert.Equal("staff", (string?)after["waiting_on"]);
        Assert.Null(after["first_response_at"]);
        Assert.Null(after["assigned_to"]);
        Assert.Equal(2, (int)after["message_count"]!);
        Assert.NotEqual((string)ticket["updated_at"]!, (string)after["updated_at"]!);
    }

    [Fact]
    public async Task A_reply_with_files_carries_them_byte_identical_and_they_download_safely()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Unique("files");
        var ticket = await app.SubmitAsync(email: submitter);
        var number = (string)ticket["ticket_number"]!;
        var text = Encoding.UTF8.GetBytes("Invoice 42\nTotal: 10 €\n");
        var binary = MultipartBody.Unique(3000);

        var response = await moderator.Client.PostAsync($"/api/v1/contact/{ticket["id"]}/messages",
            MultipartBody.Form(new { kind = "reply", body = "Your documents." }, ("invoice.txt", text), ("label.bin", binary), ("pixel.png", MultipartBody.Png)));
        var message = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        var files = message["attachments"]!.AsArray();
        Assert.Equal(["invoice.txt", "label.bin", "pixel.png"], files.Select(f => (string)f!["filename"]!));
        Assert.Equal(["text/plain; charset=utf-8", "application/octet-stream", "image/png"], files.Select(f => (string)f!["content_type"]!));
        Assert.Equal([text.Length, binary.Length, MultipartBody.Png.Length], files.Select(f => (int)f!["size"]!));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(binary)), (string)files[1]!["sha256"]!);

        var email = (await smtp.WaitUntilAsync(r => ToSubmitter(r, number, submitter).Any(m => m.Subject.StartsWith("Re:"))))
            .Single(m => m.To == submitter && m.Subject.StartsWith("Re:") && m.Subject.Contains(number)).Message;
        var attached = email.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(["invoice.txt", "label.bin", "pixel.png"], attached.Select(a => a.FileName));
        Assert.Equal(text, Decode(attached[0]));
        Assert.Equal(binary, Decode(attached[1]));
        Assert.Equal(MultipartBody.Png, Decode(attached[2]));
        Assert.Contains("label.bin", email.TextBody);

        var download = await moderator.Client.GetAsync($"/api/v1/attachments/{files[1]!["id"]}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(binary, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("label.bin", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());

        var anonymous = await app.CreateClient().GetAsync($"/api/v1/attachments/{files[1]!["id"]}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var unknown = await moderator.Client.GetAsync($"/api/v1/attachments/{Guid.NewGuid()}");
        await ResponseAssert.ProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_moderators_replying_at_once_both_land()
    {
        var first = await app.CreateUserAsync(Roles.Moderator);
        var second = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync(email: Unique("race"));

        var posts = Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).Client.PostAsJsonAsync(
            $"/api/v1/contact/{ticket["id"]}/messages", new { kind = i % 3 == 0 ? "note" : "reply", body = $"Answer {i}" })).ToList();
        var responses = await Task.WhenAll(posts);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var thread = await ThreadAsync(first, ticket);
        Assert.Equal(7, thread.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"Answer {i}").Order(), thread.Skip(1).Select(m => (string)m!["body"]!).Order());
        var after = await first.Client.GetObjectAsync($"/api/v1/contact/{ticket["id"]}");
        Assert.Equal(7, (int)after["message_count"]!);
    }

    [Fact]
    public async Task The_queue_filters_tickets_that_need_a_reply()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var word = ModerationApiExtensions.UniqueWord();
        var waiting = await app.SubmitAsync(subject: $"{word} one", email: Unique("queue"));
        var answered = await app.SubmitAsync(subject: $"{word} two", email: Unique("queue"));
        await PostAsync(moderator, answered, new { kind = "reply", body = "Done." });

        Assert.Equal([waiting.IdOf()], await moderator.Client.ListIdsAsync($"search={word}&waiting_on=staff"));
        Assert.Equal([answered.IdOf()], await moderator.Client.ListIdsAsync($"search={word}&waiting_on=submitter"));
        var page = await moderator.Client.GetObjectAsync($"/api/v1/contact/?waiting_on=staff&page_size=100");
        Assert.All(page["items"]!.AsArray(), t => Assert.Equal("staff", (string?)t!["waiting_on"]));
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.GetAsync("/api/v1/contact/?waiting_on=nobody"), "waiting_on");
    }

    [Fact]
    public async Task Bad_messages_are_field_errors_and_store_nothing()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync(email: Unique("bad"));
        var url = $"/api/v1/contact/{ticket["id"]}/messages";

        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url, new { kind = "customer", body = "x" }), "kind");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url, new { kind = "reply", body = " " }), "body");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url, new { kind = "reply", body = new string('x', 50_001) }), "body");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url, new { kind = "reply", body = "x", status = "gone" }), "status");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url, new { kind = "reply", body = "x", canned_response_id = Guid.NewGuid() }), "canned_response_id");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsync(url, MultipartBody.Form(new { kind = "note", body = "x", colour = "red" })), "colour");
        await ResponseAssert.ProblemAsync(await moderator.Client.PostAsJsonAsync($"/api/v1/contact/{Guid.NewGuid()}/messages", new { kind = "note", body = "x" }), HttpStatusCode.NotFound);
        await ResponseAssert.ProblemAsync(await moderator.Client.GetAsync($"/api/v1/contact/{Guid.NewGuid()}/messages"), HttpStatusCode.NotFound);

        Assert.Single(await ThreadAsync(moderator, ticket));
        var user = await app.CreateUserAsync(Roles.User);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.PostAsJsonAsync(url, new { kind = "note", body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_form_takes_files_which_become_the_first_message_s_attachments()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var response = await app.CreateClient().PostAsync("/api/v1/contact/submit", MultipartBody.Form(
            new { name = "Fay Files", email = Unique("form"), subject = "Screenshot", message = "See the picture." },
            ("screen.png", MultipartBody.Png)));
        var ticket = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal(1, (int)ticket["message_count"]!);

        var first = Assert.Single(await ThreadAsync(moderator, ticket))!;
        var file = Assert.Single(first["attachments"]!.AsArray())!;
        Assert.Equal("screen.png", (string)file["filename"]!);
        Assert.Equal("image/png", (string)file["content_type"]!);
        var download = await moderator.Client.GetAsync($"/api/v1/attachments/{file["id"]}");
        Assert.Equal(MultipartBody.Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
    }

    private static byte[] Decode(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return bytes.ToArray();
    }

    private static async Task<JsonObject> PostAsync(TestUser user, JsonObject ticket, object body)
    {
        var response = await user.Client.PostAsJsonAsync($"/api/v1/contact/{ticket["id"]}/messages", body);
        var message = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/contact/{ticket["id"]}/messages/{message["id"]}", response.Headers.Location!.OriginalString);
        return message;
    }

    private static async Task<JsonArray> ThreadAsync(TestUser user, JsonObject ticket) =>
        (await user.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{ticket["id"]}/messages"))!;

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@example.com";

    private static List<ReceivedEmail> ToSubmitter(IEnumerable<ReceivedEmail> mails, string ticketNumber, string submitter) =>
        mails.Where(m => m.Subject.Contains(ticketNumber) && m.To == submitter).ToList();

    private static async Task Eventually(Func<Task<bool>> probe, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await probe())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not reached within {seconds} s.");
            await Task.Delay(50);
        }
    }
}

public sealed class ConversationTestsOnSqlite(SqliteMailApp app) : ConversationTests(app), IClassFixture<SqliteMailApp>;

public sealed class ConversationTestsOnPostgres(PostgresMailApp app) : ConversationTests(app), IClassFixture<PostgresMailApp>;
