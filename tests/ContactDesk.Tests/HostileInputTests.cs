using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// The hostile-input corpus (<see cref="HostileInputCorpus"/>) against a real Kestrel port: each
/// request gets a 4xx problem, nothing is stored (not a ticket, a number, a user, an email, an audit
/// entry, a failed-login count), the target ticket is untouched, and the app keeps serving.
/// </summary>
public abstract class HostileInputTests(ContactDeskApp app, ITestOutputHelper output)
{
    /// <summary>docs/reliability.md quotes the corpus's size; it may grow, never quietly shrink.</summary>
    public const int AtLeast = 1300;

    [Fact]
    public async Task Every_request_of_the_corpus_gets_a_4xx_problem_stores_nothing_and_the_app_keeps_serving()
    {
        var corpus = HostileInputCorpus.All().ToList();
        Assert.True(corpus.Count >= AtLeast, $"The corpus has {corpus.Count} requests");

        using var anonymous = new HttpClient { BaseAddress = app.ServerAddress() };
        using var moderator = await SignedInAsync("moderator");
        using var admin = await SignedInAsync("admin");
        var target = await app.SubmitAsync(subject: "The target of every hostile request");
        // The target's portal link (its email is queued before the fingerprint is taken).
        var link = await (await moderator.PostAsync($"{Contact}/{target.IdOf()}/portal-link", null)).ReadObjectAsync();
        var token = ((string)link["url"]!).Split("/t/")[1];
        var before = await FingerprintAsync();
        var targetBefore = (await moderator.GetObjectAsync($"{Contact}/{target.IdOf()}")).ToJsonString();

        var failures = new List<string>();
        var slowest = new List<(TimeSpan, string)>();
        foreach (var request in corpus)
        {
            var client = request.Caller switch { "moderator" => moderator, "admin" => admin, _ => anonymous };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var failure = await CheckAsync(client, request, target.IdOf(), (string)target["ticket_number"]!, token);
            slowest.Add((clock.Elapsed, request.ToString()));
            if (failure is not null)
            {
                failures.Add($"{request}: {failure}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} requests were answered wrongly:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(before, await FingerprintAsync());
        Assert.Equal(targetBefore, (await moderator.GetObjectAsync($"{Contact}/{target.IdOf()}")).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        await app.SubmitAsync(subject: "Still serving");
        foreach (var group in corpus.GroupBy(r => r.Class))
        {
            output.WriteLine($"{group.Key}: {group.Count()}");
        }
        output.WriteLine($"total: {corpus.Count} ({app.Provider})");
        foreach (var (time, what) in slowest.OrderByDescending(x => x.Item1).Take(5))
        {
            output.WriteLine($"slowest: {time.TotalMilliseconds:0} ms {what}");
        }
    }

    [Fact]
    public async Task Every_limited_field_at_exactly_its_limit_is_accepted()
    {
        // The corpus sends each of these one past its limit; here each sits on it, and is taken.
        using var moderator = await SignedInAsync("moderator");
        using var anonymous = new HttpClient { BaseAddress = app.ServerAddress() };
        var at = new List<string>();

        var email = SubmissionTests.EmailOfLength(254);
        var register = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { name = new string('n', 255), email, password = "Enigma-1912" });
        await register.AssertStatusAsync(HttpStatusCode.Created);
        at.Add("register: name 255, email 254");
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "Enigma-1912" })).AssertStatusAsync(HttpStatusCode.OK);
        at.Add("login: email 254");

        var submit = new HttpRequestMessage(HttpMethod.Post, $"{Contact}/submit")
        {
            Content = JsonContent.Create(new { name = "Sam", email = "sam@example.com", subject = "Key at its limit", message = "Hello" }),
        };
        submit.Headers.Add("Idempotency-Key", new string('k', 255));
        var ticket = await (await anonymous.SendAsync(submit)).ReadObjectAsync();
        at.Add("Idempotency-Key 255");

        var notes = new string('a', 20_000);
        await (await moderator.PatchJsonAsync(ticket.IdOf(), new { admin_notes = notes })).AssertStatusAsync(HttpStatusCode.OK);
        at.Add("admin_notes 20000");
        var resolved = await moderator.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/mark-resolved", new { resolution_notes = new string('r', 20_000) });
        await resolved.AssertStatusAsync(HttpStatusCode.OK);
        at.Add("resolution_notes 20000");

        var ids = Enumerable.Range(0, 499).Select(_ => Guid.NewGuid()).Append(ticket.IdOf()).ToArray();
        var bulk = await (await moderator.PostAsJsonAsync($"{Contact}/bulk", new { ids, action = "archive" })).ReadObjectAsync();
        Assert.Equal(1, (int)bulk["updated"]!);
        at.Add("bulk: 500 ids");

        foreach (var query in new[] { $"search={new string('s', 200)}", "page=1000000", "page_size=100", "page=1000000&page_size=100" })
        {
            await (await moderator.GetAsync($"{Contact}/?{query}")).AssertStatusAsync(HttpStatusCode.OK);
            await (await moderator.GetAsync($"{Contact}/export.csv?{query}")).AssertStatusAsync(HttpStatusCode.OK);
            at.Add(query.Length > 40 ? "search 200" : query);
        }
        output.WriteLine($"At the limit, accepted: {string.Join("; ", at)} (submit's fields: SubmissionTests)");
    }

    /// <summary>Paths that climb out of where they point, sent as written (HttpClient would tidy them up).</summary>
    public static readonly string[] Traversals =
    [
        "/appsettings.json", "/../appsettings.json", "/ContactDesk.dll", "/ContactDesk.deps.json", "/data/contactdesk.db", "/.git/config", "/.env",
        "/css/../appsettings.json", "/css/..%2f..%2fappsettings.json", "/css/%2e%2e/%2e%2e/appsettings.json", "/css/%2e%2e%2f%2e%2e%2fappsettings.json",
        "/css/..%5c..%5cappsettings.json", "/css/....//....//appsettings.json", "/js/%252e%252e/%252e%252e/appsettings.json",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/css/../../../../etc/passwd", "/embed.js/..%2f..%2f..%2fetc%2fpasswd", "/css/%c0%ae%c0%ae/appsettings.json",
        "/api/v1/contact/by-ticket/..%2F..%2F..%2Fetc%2Fpasswd", "/api/v1/contact/by-ticket/../../admin/emails",
        "/api/v1/contact/by-ticket/CONT-20261124-0001%2F..%2F..%2Fadmin%2Femails", "/api/v1/contact/submit/../../admin/emails",
        "/contact/../api/v1/admin/emails/summary", "/api/v1/contact/%2e%2e/%2e%2e/admin/emails", "/api/v1/contact/{id}/..%2f..%2f..%2fadmin%2femails",
        "/api/v1/contact/{id}/../../admin/emails", "/admin/contact/..%2F..%2Fapi%2Fv1%2Fadmin%2Femails", "/admin/contact/{id}/../../users",
        "/admin/login/../users", "/admin/login/..;/users", "/admin/contact/%2e%2e/%2e%2e/emails",
    ];

    /// <summary>What must never come back: configuration, the database, the program, system files.</summary>
    private static readonly string[] Secrets = ["ConnectionStrings", "SQLite format 3", "root:x:0:0", "[core]", "\"Database\"", "\"items\"", "\"pending\":"];

    [Fact]
    public async Task Paths_that_try_to_climb_out_reach_nothing_they_should_not()
    {
        var target = await app.SubmitAsync(subject: "A ticket to climb from");
        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var moderator = await SignedInAsync("moderator");
        var failures = new List<string>();
        foreach (var traversal in Traversals)
        {
            var url = new Uri(app.ServerAddress() + traversal.TrimStart('/').Replace("{id}", target.IdOf().ToString()),
                new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            foreach (var (caller, client) in new[] { ("anonymous", anonymous), ("moderator", moderator) })
            {
                var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var location = response.Headers.Location is { IsAbsoluteUri: true } absolute ? absolute.PathAndQuery : response.Headers.Location?.OriginalString ?? "";
                var refused = status is >= 400 and < 500 || status == 302 && (location.StartsWith("/admin/login") || location.StartsWith("/admin/denied"));
                var secret = Secrets.FirstOrDefault(s => body.Contains(s, StringComparison.Ordinal));
                if (!refused || secret is not null || status >= 500)
                {
                    failures.Add($"{caller} GET {traversal}: {status} {location} {secret}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        output.WriteLine($"{Traversals.Length} traversal paths x 2 callers: each refused (4xx, or sent to sign in), nothing revealed");
    }

    /// <summary>Null when the answer is right; otherwise what was wrong with it.</summary>
    private static async Task<string?> CheckAsync(HttpClient client, HostileRequest request, Guid id, string number, string token)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path.Replace("{id}", id.ToString()).Replace("{number}", number).Replace("{token}", token));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Replace(request.Body, "{id}", id.ToString()));
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }
        if (request.Status == 413)
        {
            // As careful clients send big bodies: the 413 comes before the body is sent, and cannot be
            // lost to the server closing the connection on a client still sending (AbuseTests sends without).
            message.Headers.ExpectContinue = true;
        }
        foreach (var (name, value) in request.Headers)
        {
            if (name == "Authorization")
            {
                message.Headers.Authorization = AuthenticationHeaderValue.Parse(value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message);
        }
        catch (HttpRequestException e)
        {
            return $"no answer: {e.Message}";
        }
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status is < 400 or > 499 || request.Status is { } expected && status != expected)
        {
            return $"{status} (expected {request.Status?.ToString() ?? "4xx"}): {Shorten(text)}";
        }
        if (request.Bare)
        {
            return null; // Kestrel's own refusal, before any app code: a status and no body
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {Shorten(text)}";
        }
        var problem = JsonNode.Parse(text)!.AsObject();
        if ((int?)problem["status"] != status || string.IsNullOrWhiteSpace((string?)problem["title"]) || string.IsNullOrWhiteSpace((string?)problem["detail"]))
        {
            return $"an incomplete problem: {Shorten(text)}";
        }
        var leak = ProblemJson.Internals.FirstOrDefault(i => text.Contains(i, StringComparison.Ordinal));
        return leak is null ? null : $"the problem shows internals ({leak}): {Shorten(text)}";
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var user = await app.CreateUserAsync(role);
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = app.ServerAddress() };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(user.Email, user.Password));
        return client;
    }

    /// <summary>Everything a request could leave behind, in one comparable string.</summary>
    private Task<string> FingerprintAsync() => app.QueryAsync(async db => string.Join(", ",
        $"tickets {await db.Tickets.CountAsync()}",
        $"numbers {await db.TicketCounters.SumAsync(c => c.LastValue)}",
        $"users {await db.Users.CountAsync()}",
        $"failed logins {await db.Users.SumAsync(u => u.AccessFailedCount)}",
        $"audit {await db.AuditEntries.CountAsync()}",
        $"emails {await db.OutboxEmails.CountAsync()}",
        $"keys {await db.IdempotencyKeys.CountAsync()}",
        $"messages {await db.Messages.CountAsync()}",
        $"files {await db.AttachmentBlobs.CountAsync()}"));

    private static byte[] Replace(byte[] body, string placeholder, string value)
    {
        var find = Encoding.ASCII.GetBytes(placeholder);
        var at = body.AsSpan().IndexOf(find);
        return at < 0 ? body : [.. body[..at], .. Encoding.ASCII.GetBytes(value), .. Replace(body[(at + find.Length)..], placeholder, value)];
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

public sealed class HostileInputTestsOnSqlite(SqliteAppOnKestrel app, ITestOutputHelper output)
    : HostileInputTests(app, output), IClassFixture<SqliteAppOnKestrel>;

public sealed class HostileInputTestsOnPostgres(PostgresAppOnKestrel app, ITestOutputHelper output)
    : HostileInputTests(app, output), IClassFixture<PostgresAppOnKestrel>;
