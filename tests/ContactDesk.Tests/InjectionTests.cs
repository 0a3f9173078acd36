using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// Input that tries to be code: SQL in the search and every filter, markup and script in every text
/// field (kept verbatim by the API, escaped on pages and in email), and line breaks in every field
/// that reaches an email header.
/// </summary>
public abstract class InjectionTests(IMailApp mail, ITestOutputHelper output)
{
    private readonly ContactDeskApp app = mail.App;
    private readonly TestSmtpServer smtp = mail.Smtp;

    public static readonly string[] Sql =
    [
        "'", "''", "\"", "\\", "%", "_", "%%", "__", "[a-z]", "^", "*", ";", "--", "/*", "*/", "';--", "' OR '1'='1", "' OR 1=1 --",
        "\" OR \"\"=\"", "'; DROP TABLE tickets; --", "\"; DROP TABLE tickets; --", "'); DELETE FROM tickets; --", "1; SELECT pg_sleep(3)",
        "' UNION SELECT password_hash FROM \"AspNetUsers\" --", "$$; DROP TABLE tickets; $$", "\\'; DROP TABLE tickets; --", "%' ESCAPE '\\",
        "' || (SELECT version()) || '", "'||randomblob(300000000)||'", "ＯＲ １＝１", "\u2019 OR 1=1",
    ];

    public static readonly string[] Markup =
    [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "' onmouseover='alert(1)", "</textarea><script>alert(1)</script>",
        "</title><script>alert(1)</script>", "<iframe src=javascript:alert(1)>", "<style>*{display:none}</style>", "&lt;b&gt;not bold&lt;/b&gt;", "<!--", "]]>",
        "{{ 7 | times: 7 }}", "{% raw %}{{7*7}}", "javascript:alert(1)", "<a href=\"javascript:alert(1)\">x</a>",
    ];

    public static readonly string[] LineBreaks =
    [
        "\r\nBcc: victim@evil.test", "\nBcc: victim@evil.test", "\rBcc: victim@evil.test", "\r\n\r\n<h1>a body of its own</h1>",
        "\r\n X-Folded: yes", "\u0085Bcc: victim@evil.test", "\u2028Bcc: victim@evil.test", "=?utf-8?q?=0D=0ABcc:_victim@evil.test?=",
        "%0D%0ABcc: victim@evil.test", "\tX-Tab: yes",
    ];

    private static readonly string[] Filters = ["status", "category", "assigned_to", "created_after", "created_before", "ordering", "page", "page_size"];

    [Fact]
    public async Task SQL_in_the_search_matches_only_literally_and_in_any_other_filter_is_a_400()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var word = UniqueWord();
        var planted = new Dictionary<string, Guid>();
        foreach (var sql in Sql)
        {
            planted[sql] = (await app.SubmitAsync($"{word} {sql} end", message: $"Text with {sql} inside")).IdOf();
        }
        var tickets = await app.QueryAsync(db => db.Tickets.CountAsync());
        var requests = 0;

        foreach (var sql in Sql)
        {
            var clock = Stopwatch.StartNew();
            var page = await moderator.Client.GetObjectAsync($"{Contact}/?page_size=100&search={Uri.EscapeDataString(sql)}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"search {sql} took {clock.Elapsed}");
            var items = page["items"]!.AsArray();
            Assert.Contains(items, t => t!.IdOf() == planted[sql]);
            Assert.All(items, t => Assert.True(Searchable(t!).Contains(sql.Trim(), StringComparison.OrdinalIgnoreCase), $"search {sql} matched {t!["subject"]}"));
            var csv = await moderator.Client.GetAsync($"{Contact}/export.csv?search={Uri.EscapeDataString(sql)}");
            await csv.AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal((int)page["total"]! + 1, ParseCsv(await csv.Content.ReadAsStringAsync()).Count); // + the header row
            await (await moderator.Client.GetAsync($"{Contact}/by-ticket/{Uri.EscapeDataString(sql)}")).AssertProblemAsync(HttpStatusCode.NotFound);
            var login = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = sql, password = sql });
            Assert.True(login.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"login {sql}: {login.StatusCode}");
            requests += 4;
            foreach (var filter in Filters)
            {
                foreach (var path in new[] { $"{Contact}/", $"{Contact}/export.csv" })
                {
                    await (await moderator.Client.GetAsync($"{path}?{filter}={Uri.EscapeDataString(sql)}")).AssertValidationErrorAsync(filter);
                    requests++;
                }
            }
        }

        Assert.Equal(tickets, await app.QueryAsync(db => db.Tickets.CountAsync()));
        Assert.True(await app.QueryAsync(db => db.Users.AnyAsync()));
        output.WriteLine($"{Sql.Length} SQL payloads x (search, export, ticket number, login, {Filters.Length} filters x 2) = {requests} requests");
    }

    [Fact]
    public async Task Markup_in_every_text_field_comes_back_verbatim_from_the_API_and_escaped_on_pages_and_in_email()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        using var pages = await app.PageClientAsync(admin);
        var word = UniqueWord();
        var checkedPages = 0;
        foreach (var markup in Markup)
        {
            var moderator = await app.CreateUserAsync(Roles.Moderator, name: $"Mo {markup}");
            var submitter = $"markup-{Guid.NewGuid():N}@example.com";
            var ticket = await app.SubmitAsync($"{word} {markup}", markup, name: markup, email: submitter);
            var id = ticket.IdOf();
            await moderator.Client.ActOkAsync(id, "assign-to-me");
            await (await moderator.Client.PatchJsonAsync(id, new { admin_notes = markup })).AssertStatusAsync(HttpStatusCode.OK);
            await (await moderator.Client.PostAsJsonAsync($"{Contact}/{id}/mark-resolved", new { resolution_notes = markup })).AssertStatusAsync(HttpStatusCode.OK);

            // The API is data: exactly what was sent.
            var stored = await moderator.Client.GetObjectAsync($"{Contact}/{id}");
            Assert.Equal(markup, (string?)stored["name"]);
            Assert.Equal($"{word} {markup}", (string?)stored["subject"]);
            Assert.Equal(markup, (string?)stored["message"]);
            Assert.Equal(markup, (string?)stored["admin_notes"]);
            Assert.Equal(markup, (string?)stored["resolution_notes"]);
            Assert.Equal($"Mo {markup}", (string?)stored["assigned_to"]!["name"]);

            // Pages are HTML: the markup is there only as text.
            foreach (var path in new[] { $"/admin?search={word}&status=resolved", $"/admin/contact/{id}", "/admin/dashboard", "/admin/users" })
            {
                var html = await pages.GetStringAsync(path);
                AssertEscaped(markup, html, path);
                checkedPages++;
            }

            // Email: the HTML part escapes, the text part and the subject keep it as typed.
            var number = (string)ticket["ticket_number"]!;
            var mails = (await smtp.WaitUntilAsync(r => r.Count(m => m.Subject.Contains(number)) >= 3)).Where(m => m.Subject.Contains(number)).ToList();
            foreach (var email in mails)
            {
                AssertEscaped(markup, email.Message.HtmlBody ?? "", $"email {email.Subject}");
                Assert.Contains(markup, email.Message.TextBody);
                Assert.Contains(markup, email.Subject);
            }
        }
        output.WriteLine($"{Markup.Length} markup payloads in name, subject, message, admin notes, resolution notes and a moderator's name: " +
            $"verbatim from the API, escaped on {checkedPages} pages and in every email");
    }

    [Fact]
    public async Task Line_breaks_in_every_field_that_reaches_an_email_header_make_no_header_and_no_recipient()
    {
        var admin = await app.CreateUserAsync(Roles.Admin, name: "Ada" + string.Concat(LineBreaks)[..200]);
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var expected = new Dictionary<string, string>();
        foreach (var payload in LineBreaks)
        {
            var submitter = $"crlf-{Guid.NewGuid():N}@example.com";
            var ticket = await app.SubmitAsync($"Hello{payload}", "Body", name: $"Eve{payload}", email: submitter);
            await moderator.Client.ActOkAsync(ticket.IdOf(), "mark-resolved");
            expected[(string)ticket["ticket_number"]!] = submitter;
        }

        // Each ticket: a confirmation and a resolution to its submitter, a notification to the admin (and to earlier tests' admins).
        var mails = await smtp.WaitUntilAsync(r => expected.All(e =>
            r.Count(m => m.Subject.Contains(e.Key) && m.To == e.Value) == 2 && r.Any(m => m.Subject.Contains(e.Key) && m.To == admin.Email)));
        var checkedMails = 0;
        foreach (var email in mails.Where(m => expected.Keys.Any(m.Subject.Contains)))
        {
            var message = email.Message;
            Assert.Single(email.Recipients);
            Assert.DoesNotContain("victim@evil.test", email.Recipients);
            Assert.Single(message.To.Mailboxes);
            Assert.Empty(message.Cc);
            Assert.Empty(message.Bcc);
            Assert.Equal(1, message.Headers.Count(h => h.Field == "Subject"));
            foreach (var header in new[] { "X-Folded", "X-Tab", "X-Injected" })
            {
                Assert.Null(message.Headers[header]);
            }
            Assert.DoesNotContain(message.Subject ?? "", c => c is '\r' or '\n' or '\u0085' or '\u2028');
            // The display name is the user's text on one line; a mail client may still decode an encoded-word
            // typed into it ("=?utf-8?q?=0D=0A...?="), but that is text inside the name, not a header.
            Assert.Equal(email.To, message.To.Mailboxes.Single().Address);
            Assert.DoesNotContain("<h1>", message.HtmlBody);
            checkedMails++;
        }
        output.WriteLine($"{LineBreaks.Length} line-break payloads in the submitter's name, the subject and an admin's name: {checkedMails} emails, each with one recipient and no extra header");
    }

    private static string Searchable(JsonNode ticket) =>
        string.Join('\n', new[] { "ticket_number", "name", "email", "subject", "message" }.Select(f => (string?)ticket[f]));

    /// <summary>Markup that could act in HTML (tags, quotes, entities) must not appear as such.</summary>
    private static void AssertEscaped(string markup, string html, string where)
    {
        if (markup.IndexOfAny(['<', '>', '"', '\'', '&']) >= 0)
        {
            Assert.False(html.Contains(markup, StringComparison.Ordinal), $"{where} has unescaped {markup}");
        }
    }
}

public sealed class InjectionTestsOnSqlite(SqliteMailApp app, ITestOutputHelper output) : InjectionTests(app, output), IClassFixture<SqliteMailApp>;

public sealed class InjectionTestsOnPostgres(PostgresMailApp app, ITestOutputHelper output) : InjectionTests(app, output), IClassFixture<PostgresMailApp>;
