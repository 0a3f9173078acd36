using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// Contract §9 over HTTP on both databases, with the real SMTP server: the link in the emails opens
/// the ticket, the submitter answers, resolves and reopens it; a new link revokes the old ones.
/// </summary>
public abstract partial class PortalTests(IMailApp mail)
{
    private readonly ContactDeskApp app = mail.App;
    private readonly TestSmtpServer smtp = mail.Smtp;

    [Fact]
    public async Task The_confirmation_link_opens_the_ticket_and_a_reply_with_a_file_reaches_the_staff()
    {
        var admin = await app.CreateUserAsync(Roles.Admin, "Ada Admin");
        var submitter = Unique("confirm");
        var ticket = await app.SubmitAsync(subject: "Broken zipper", message: "The zipper broke on day one.", email: submitter);
        var number = (string)ticket["ticket_number"]!;
        var token = await LinkInAsync(m => m.To == submitter && m.Subject.Contains(number) && m.Subject.Contains("We received"));

        var portal = app.CreateClient();
        var response = await portal.GetAsync($"/api/v1/portal/{token}");
        var view = await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Equal(["created_at", "status", "subject", "ticket_number"], view["ticket"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(number, (string)view["ticket"]!["ticket_number"]!);
        Assert.Equal("Broken zipper", (string)view["ticket"]!["subject"]!);
        Assert.Equal("pending", (string)view["ticket"]!["status"]!);
        var first = Assert.Single(view["messages"]!.AsArray())!;
        Assert.Equal("The zipper broke on day one.", (string)first["body"]!);
        Assert.False(first.AsObject().ContainsKey("from_email"));

        var posted = await portal.PostAsync($"/api/v1/portal/{token}/messages",
            MultipartBody.Form(new { body = "Here is a photo." }, ("zipper.png", MultipartBody.Png)));
        var message = await ResponseAssert.JsonAsync(posted, HttpStatusCode.Created);
        Assert.Equal("customer", (string)message["kind"]!);
        Assert.Equal("portal", (string)message["source"]!);
        Assert.Equal("zipper.png", (string)message["attachments"]![0]!["filename"]!);

        var thread = await admin.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/messages");
        var added = thread![^1]!;
        Assert.Equal(["customer", "customer"], thread.Select(m => (string)m!["kind"]!));
        Assert.Equal("portal", (string)added["source"]!);
        Assert.Equal(submitter, (string)added["from_email"]!);
        Assert.Equal("Here is a photo.", (string)added["body"]!);
        var download = await portal.GetAsync($"/api/v1/portal/{token}/attachments/{added["attachments"]![0]!["id"]}");
        Assert.Equal(MultipartBody.Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", download.Headers.GetValues("Referrer-Policy").Single());

        var updated = await admin.Client.GetObjectAsync($"{Contact}/{ticket["id"]}");
        Assert.Equal("staff", (string?)updated["waiting_on"]);
        Assert.Equal(2, (int)updated["message_count"]!);
        // Nobody owns it: every admin hears of it, with a link to the ticket page.
        var notice = (await smtp.WaitUntilAsync(r => r.Any(m => m.To == admin.Email && m.Subject.Contains("New message")))).Single(m => m.To == admin.Email && m.Subject.Contains("New message"));
        Assert.Equal($"[{number}] New message from Sam Submitter: Broken zipper", notice.Subject);
        Assert.Contains("Here is a photo.", notice.Message.TextBody);
        Assert.Contains("zipper.png", notice.Message.TextBody);
        Assert.Contains($"https://desk.example.org/admin/contact/{ticket["id"]}", notice.Message.TextBody);
        Assert.Equal("auto-generated", notice.Message.Headers["Auto-Submitted"]);
        var history = await admin.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/history");
        Assert.Equal(["created", "message_added"], history!.Select(h => (string)h!["action"]!));
    }

    [Fact]
    public async Task The_submitter_resolves_and_reopens_and_a_message_reopens_a_resolved_ticket_and_tells_the_assignee()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator, "Mo Moderator");
        var submitter = Unique("resolve");
        var ticket = await app.SubmitAsync(subject: "Invoice", email: submitter);
        var number = (string)ticket["ticket_number"]!;
        var token = await LinkInAsync(m => m.To == submitter && m.Subject.Contains(number));
        var portal = app.CreateClient();

        var resolved = await ResponseAssert.JsonAsync(await portal.PostAsync($"/api/v1/portal/{token}/resolve", null), HttpStatusCode.OK);
        Assert.Equal("resolved", (string)resolved["status"]!);
        await ResponseAssert.ProblemAsync(await portal.PostAsync($"/api/v1/portal/{token}/resolve", null), HttpStatusCode.Conflict);
        // The resolution email carries a link too, and it works alongside the first.
        var again = await LinkInAsync(m => m.To == submitter && m.Subject.Contains(number) && m.Subject.Contains("resolved"));
        Assert.NotEqual(token, again);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync($"/api/v1/portal/{again}")).StatusCode);

        var reopened = await ResponseAssert.JsonAsync(await portal.PostAsync($"/api/v1/portal/{token}/reopen", null), HttpStatusCode.OK);
        Assert.Equal("pending", (string)reopened["status"]!);
        await ResponseAssert.ProblemAsync(await portal.PostAsync($"/api/v1/portal/{token}/reopen", null), HttpStatusCode.Conflict);

        // A staff reply assigns the moderator; they resolve it; the submitter's answer reopens it and tells them.
        await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket["id"]}/messages", new { kind = "reply", body = "Sent again.", status = "resolved" });
        await ResponseAssert.JsonAsync(await portal.PostAsJsonAsync($"/api/v1/portal/{token}/messages", new { body = "Still missing." }), HttpStatusCode.Created);
        var after = await moderator.Client.GetObjectAsync($"{Contact}/{ticket["id"]}");
        Assert.Equal("pending", (string)after["status"]!);
        Assert.Equal("staff", (string?)after["waiting_on"]);
        Assert.Null(after["resolved_at"]);
        var notice = await smtp.WaitUntilAsync(r => r.Any(m => m.To == moderator.Email && m.Subject.Contains(number)));
        Assert.Contains("Still missing.", notice.Single(m => m.To == moderator.Email && m.Subject.Contains(number)).Message.TextBody);
        var history = await moderator.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/history");
        Assert.Equal(["created", "resolved", "reopened", "message_added", "resolved", "message_added", "reopened"],
            history!.Select(h => (string)h!["action"]!));
    }

    [Fact]
    public async Task A_new_link_revokes_every_earlier_one_and_is_emailed()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var submitter = Unique("revoke");
        var ticket = await app.SubmitAsync(email: submitter);
        var number = (string)ticket["ticket_number"]!;
        var old = await LinkInAsync(m => m.To == submitter && m.Subject.Contains(number));
        var portal = app.CreateClient();

        var issued = await ResponseAssert.JsonAsync(await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/portal-link", null), HttpStatusCode.OK);
        var url = (string)issued["url"]!;
        Assert.Matches("^https://desk\\.example\\.org/t/[a-z2-7]{32}$", url);
        await ResponseAssert.ProblemAsync(await portal.GetAsync($"/api/v1/portal/{old}"), HttpStatusCode.NotFound);
        await ResponseAssert.ProblemAsync(await portal.PostAsJsonAsync($"/api/v1/portal/{old}/messages", new { body = "x" }), HttpStatusCode.NotFound);
        var emailed = await LinkInAsync(m => m.To == submitter && m.Subject.Contains(number) && m.Subject.Contains("new link"));
        Assert.Equal(url, $"https://desk.example.org/t/{emailed}");
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync($"/api/v1/portal/{emailed}")).StatusCode);

        await ResponseAssert.ProblemAsync(await moderator.Client.PostAsync($"{Contact}/{Guid.NewGuid()}/portal-link", null), HttpStatusCode.NotFound);
        var user = await app.CreateUserAsync(Roles.User);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.PostAsync($"{Contact}/{ticket["id"]}/portal-link", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsync($"{Contact}/{ticket["id"]}/portal-link", null)).StatusCode);
    }

    [Fact]
    public async Task The_portal_never_shows_notes_admin_notes_staff_addresses_or_another_ticket()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator, "Mia Moderator");
        var secret = UniqueWord();
        var submitter = Unique("leak");
        var ticket = await app.SubmitAsync(subject: "Mine", email: submitter);
        var other = await app.SubmitAsync(subject: $"Other {secret}o", message: $"Other body {secret}o", email: Unique("other"));
        await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket["id"]}/messages", new { kind = "reply", body = "We are on it." });
        var note = await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/messages",
            MultipartBody.Form(new { kind = "note", body = $"Note {secret}n" }, ("internal.txt", "internal only"u8.ToArray())));
        var noteFile = (string)(await note.ReadObjectAsync())["attachments"]![0]!["id"]!;
        await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { admin_notes = $"Admin notes {secret}a" });
        var otherFile = await ResponseAssert.JsonAsync(await moderator.Client.PostAsync($"{Contact}/{other["id"]}/messages",
            MultipartBody.Form(new { kind = "reply", body = "x" }, ("other.txt", "other"u8.ToArray()))), HttpStatusCode.Created);
        var issued = await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/portal-link", null);
        var token = ((string)(await issued.ReadObjectAsync())["url"]!).Split("/t/")[1];
        var portal = app.CreateClient();

        var json = await (await portal.GetAsync($"/api/v1/portal/{token}")).Content.ReadAsStringAsync();
        var html = await (await portal.GetAsync($"/t/{token}")).Content.ReadAsStringAsync();
        var view = JsonNode.Parse(json)!;
        Assert.Equal(["customer", "reply"], view["messages"]!.AsArray().Select(m => (string)m!["kind"]!));
        Assert.Equal("Mia Moderator", (string)view["messages"]![1]!["author"]!["name"]!);
        foreach (var text in new[] { json, html }.Concat(Strings(view)))
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(moderator.Email, text);
            Assert.DoesNotContain((string)other["ticket_number"]!, text);
            Assert.DoesNotContain("internal.txt", text);
        }
        Assert.Contains("We are on it.", html);
        await ResponseAssert.ProblemAsync(await portal.GetAsync($"/api/v1/portal/{token}/attachments/{noteFile}"), HttpStatusCode.NotFound);
        await ResponseAssert.ProblemAsync(await portal.GetAsync($"/api/v1/portal/{token}/attachments/{otherFile["attachments"]![0]!["id"]}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_malformed_and_revoked_tokens_get_the_same_404()
    {
        var portal = app.CreateClient();
        var answers = new List<string>();
        foreach (var sent in new[] { new string('a', 32), "not-a-token", "' OR 1=1 --", new string('z', 2000), "ó", "A" })
        {
            var token = Uri.EscapeDataString(sent);
            var response = await portal.GetAsync($"/api/v1/portal/{token}");
            var problem = await ResponseAssert.ProblemAsync(response, HttpStatusCode.NotFound);
            answers.Add($"{problem["type"]} {problem["title"]} {problem["detail"]}");
            Assert.Equal(HttpStatusCode.NotFound, (await portal.GetAsync($"/t/{token}")).StatusCode);
            await ResponseAssert.ProblemAsync(await portal.PostAsync($"/api/v1/portal/{token}/resolve", null), HttpStatusCode.NotFound);
        }
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task Unknown_and_malformed_tokens_take_the_same_time()
    {
        var portal = app.CreateClient();
        var unknown = new List<double>();
        var malformed = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            // Interleaved, each first in turn, so that a busy moment of the machine falls on both alike.
            var (wellFormed, badlyFormed) = ($"/api/v1/portal/{Notifications.Base32.Random(20)}", $"/api/v1/portal/!{Guid.NewGuid():N}~");
            if (i % 2 == 0)
            {
                unknown.Add(await TimeAsync(portal, wellFormed));
                malformed.Add(await TimeAsync(portal, badlyFormed));
            }
            else
            {
                malformed.Add(await TimeAsync(portal, badlyFormed));
                unknown.Add(await TimeAsync(portal, wellFormed));
            }
        }
        double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);
        var (a, b) = (Median(unknown), Median(malformed));
        Assert.True(Math.Abs(a - b) < Math.Max(2.0, 0.5 * Math.Min(a, b)), $"unknown {a:F2} ms, malformed {b:F2} ms");
    }

    [Fact]
    public async Task Bad_messages_are_field_errors_a_filled_honeypot_stores_nothing_and_archived_is_read_only()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync(email: Unique("bad"));
        var token = await NewLinkAsync(moderator, ticket);
        var portal = app.CreateClient();
        var url = $"/api/v1/portal/{token}/messages";

        await ResponseAssert.ValidationProblemAsync(await portal.PostAsJsonAsync(url, new { body = " " }), "body");
        await ResponseAssert.ValidationProblemAsync(await portal.PostAsJsonAsync(url, new { body = new string('x', 50_001) }), "body");
        await ResponseAssert.ValidationProblemAsync(await portal.PostAsJsonAsync(url, new { body = "x", kind = "reply" }), "kind");
        await ResponseAssert.ValidationProblemAsync(await portal.PostAsync(url, MultipartBody.Form(new { body = "x", status = "resolved" })), "status");
        await ResponseAssert.JsonAsync(await portal.PostAsJsonAsync(url, new { body = "Buy pills", website = "http://spam.example" }), HttpStatusCode.Created);
        Assert.Single(await moderator.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/messages") ?? []);

        await moderator.Client.ActOkAsync(ticket.IdOf(), "archive");
        var view = await ResponseAssert.JsonAsync(await portal.GetAsync($"/api/v1/portal/{token}"), HttpStatusCode.OK);
        Assert.Equal("archived", (string)view["ticket"]!["status"]!);
        await ResponseAssert.ProblemAsync(await portal.PostAsJsonAsync(url, new { body = "Hello?" }), HttpStatusCode.Conflict);
        await ResponseAssert.ProblemAsync(await portal.PostAsync($"/api/v1/portal/{token}/resolve", null), HttpStatusCode.Conflict);
        await ResponseAssert.ProblemAsync(await portal.PostAsync($"/api/v1/portal/{token}/reopen", null), HttpStatusCode.Conflict);
        Assert.Contains("archived", await (await portal.GetAsync($"/t/{token}")).Content.ReadAsStringAsync());
        Assert.Single(await moderator.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/messages") ?? []);
    }

    [Fact]
    public async Task A_signed_in_account_lists_its_own_tickets_with_their_public_threads()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var user = await app.CreateUserAsync(Roles.User, "Una User");
        var stranger = await app.CreateUserAsync(Roles.User);
        var word = UniqueWord();
        var created = await user.Client.PostAsJsonAsync($"{Contact}/submit", new { subject = $"Mine {word}", message = "Hello." });
        var ticket = await ResponseAssert.JsonAsync(created, HttpStatusCode.Created);
        await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket["id"]}/messages", new { kind = "note", body = $"Note {word}n" });
        await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket["id"]}/messages", new { kind = "reply", body = "Hello to you." });
        await stranger.Client.PostAsJsonAsync($"{Contact}/submit", new { subject = $"Theirs {word}", message = "Hi." });

        var response = await user.Client.GetAsync("/api/v1/me/tickets");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var mine = Assert.Single(JsonNode.Parse(text)!.AsArray())!;
        Assert.Equal($"Mine {word}", (string)mine["ticket"]!["subject"]!);
        Assert.Equal(["customer", "reply"], mine["messages"]!.AsArray().Select(m => (string)m!["kind"]!));
        Assert.DoesNotContain($"{word}n", text);
        Assert.DoesNotContain(moderator.Email, text);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/me/tickets")).StatusCode);

        // The page, by the sign-in cookie; without one it sends the visitor to the account sign-in.
        var page = await (await app.PageClientAsync(user)).GetAsync("/my/tickets");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"Mine {word}", html);
        Assert.DoesNotContain($"Theirs {word}", html);
        Assert.DoesNotContain($"{word}n", html);
        var anonymous = await (await app.PageClientAsync(null)).GetAsync("/my/tickets");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/my/login", anonymous.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    private async Task<string> NewLinkAsync(TestUser moderator, JsonObject ticket)
    {
        var issued = await ResponseAssert.JsonAsync(await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/portal-link", null), HttpStatusCode.OK);
        return ((string)issued["url"]!).Split("/t/")[1];
    }

    /// <summary>The portal token in the (one) email received that matches, parsed from its text as a person would follow it.</summary>
    private async Task<string> LinkInAsync(Func<ReceivedEmail, bool> which)
    {
        var email = (await smtp.WaitUntilAsync(r => r.Any(which))).Single(which);
        var text = PortalLink().Match(email.Message.TextBody!);
        var html = PortalLink().Match(email.Message.HtmlBody!);
        Assert.True(text.Success, email.Message.TextBody);
        Assert.Equal(text.Value, html.Value);
        return text.Groups[1].Value;
    }

    private static async Task<double> TimeAsync(HttpClient client, string url)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var response = await client.GetAsync(url);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        return elapsed;
    }

    /// <summary>Every string value in a JSON document, names included.</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@example.com";

    [GeneratedRegex("https://desk\\.example\\.org/t/([a-z2-7]{32})")]
    private static partial Regex PortalLink();
}

public sealed class PortalTestsOnSqlite(SqliteMailApp app) : PortalTests(app), IClassFixture<SqliteMailApp>;

public sealed class PortalTestsOnPostgres(PostgresMailApp app) : PortalTests(app), IClassFixture<PostgresMailApp>;
