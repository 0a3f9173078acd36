using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// What one client sending too much, too often, or as a bot, gets: the submit limit holds per client
/// whatever it claims to be, the honeypot drops bots quietly, and a body over 64 KiB is refused before
/// it is read. On a real port (RealServer), where the app sees each client's address; limit 3 a minute.
/// </summary>
public abstract class AbuseTests(ContactDeskApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_simultaneous_submissions_from_one_client_let_exactly_the_limit_through()
    {
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        var subject = $"Burst {UniqueWord()}";

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RateLimitTests.SubmitAsync(client, subject)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Single(refused.Headers.GetValues("Retry-After"));
        }
        Assert.Equal(3, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Theory]
    [InlineData("X-Forwarded-For")]
    [InlineData("X-Real-IP")]
    [InlineData("Forwarded")]
    [InlineData("True-Client-IP")]
    [InlineData("CF-Connecting-IP")]
    public async Task Claiming_another_address_in_a_header_does_not_reset_the_limit(string header)
    {
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        for (var i = 0; i < 3; i++)
        {
            await (await RateLimitTests.SubmitAsync(client, "Filling the window")).AssertStatusAsync(HttpStatusCode.Created);
        }
        for (var i = 0; i < 3; i++)
        {
            var address = $"203.0.113.{Random.Shared.Next(1, 254)}";
            var request = new HttpRequestMessage(HttpMethod.Post, $"{Contact}/submit")
            {
                Content = JsonContent.Create(new { name = "Sam", email = "sam@example.com", subject = "Spoofed", message = "Hello" }),
            };
            request.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? $"for={address}" : address);
            await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }
    }

    [Fact]
    public async Task The_HTML_form_and_the_API_share_one_limit_even_for_a_client_that_loaded_the_form_first()
    {
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        var subject = $"Form after API {UniqueWord()}";
        var (token, cookie) = await PageSession.AntiforgeryAsync(client, "/contact");
        for (var i = 0; i < 3; i++)
        {
            await (await RateLimitTests.SubmitAsync(client, "Through the API")).AssertStatusAsync(HttpStatusCode.Created);
        }

        var form = await PostFormAsync(client, token, cookie, subject, website: null);

        await form.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Fact]
    public async Task A_filled_honeypot_in_the_API_is_answered_like_a_success_and_stores_and_emails_nothing()
    {
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        var moderator = await app.CreateUserAsync("moderator");
        var subject = $"Bot {UniqueWord()}";
        var before = await app.QueryAsync(db => Task.FromResult((db.Tickets.Count(), db.OutboxEmails.Count(), db.TicketCounters.Sum(c => c.LastValue))));

        var bot = await client.PostAsJsonAsync($"{Contact}/submit",
            new { name = "Bot", email = "bot@example.com", subject, message = "Buy now", website = "http://spam.example" });

        await bot.AssertStatusAsync(HttpStatusCode.Created);
        var decoy = await bot.ReadObjectAsync();
        Assert.Matches(@"^CONT-\d{8}-0000$", (string)decoy["ticket_number"]!); // no real ticket has the counter 0000
        Assert.Equal("pending", (string?)decoy["status"]);
        Assert.NotNull(bot.Headers.Location);
        Assert.Equal(before, await app.QueryAsync(db => Task.FromResult((db.Tickets.Count(), db.OutboxEmails.Count(), db.TicketCounters.Sum(c => c.LastValue)))));
        await (await moderator.Client.GetAsync(bot.Headers.Location)).AssertProblemAsync(HttpStatusCode.NotFound);

        // An empty honeypot is a person's: stored as usual.
        var person = await client.PostAsJsonAsync($"{Contact}/submit", new { name = "Sam", email = "sam@example.com", subject, message = "Hi", website = "" });
        await person.AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Fact]
    public async Task A_filled_honeypot_in_the_HTML_form_shows_thanks_and_stores_nothing()
    {
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        var subject = $"Form bot {UniqueWord()}";
        var (token, cookie) = await PageSession.AntiforgeryAsync(client, "/contact");

        var bot = await PostFormAsync(client, token, cookie, subject, website: "http://spam.example");

        // Redirected to the thanks of a sent form (the client follows it).
        Assert.Equal(HttpStatusCode.OK, bot.StatusCode);
        Assert.Equal("/contact?sent=1", bot.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject == subject)));
    }

    [Fact]
    public async Task A_declared_100_MiB_body_is_refused_before_a_byte_of_it_is_sent()
    {
        await using var raw = await RawHttp.StartAsync(app.ServerAddress(), $"""
            POST /api/v1/contact/submit HTTP/1.1
            Host: localhost
            Content-Type: application/json
            Content-Length: {100 * 1024 * 1024}

            """);

        Assert.Equal(413, await raw.StatusAsync());
        Assert.Equal(0, raw.BodySent);
    }

    [Fact]
    public async Task A_chunked_100_MiB_body_is_cut_off_after_64_KiB_not_read_whole()
    {
        var before = await app.QueryAsync(db => db.Tickets.CountAsync());
        await using var raw = await RawHttp.StartAsync(app.ServerAddress(), """
            POST /api/v1/contact/submit HTTP/1.1
            Host: localhost
            Content-Type: application/json
            Transfer-Encoding: chunked

            """);
        // One JSON string that never ends: the server must stop at its limit, not at a parse error.
        var first = Encoding.ASCII.GetBytes($"4000\r\n{"{\"message\": \"" + new string('x', 16 * 1024 - 13)}\r\n");
        var chunk = Encoding.ASCII.GetBytes($"4000\r\n{new string('x', 16 * 1024)}\r\n");
        var more = await raw.TrySendAsync(first);
        while (more && raw.BodySent < 100L * 1024 * 1024)
        {
            more = await raw.TrySendAsync(chunk);
        }

        Assert.Equal(413, await raw.StatusAsync());
        // The server stopped reading at its limit; what else was sent sat in socket buffers.
        Assert.True(raw.BodySent < 8 * 1024 * 1024, $"{raw.BodySent / 1024} KiB were taken before the answer");
        Assert.Equal(before, await app.QueryAsync(db => db.Tickets.CountAsync()));
        output.WriteLine($"{app.Provider}: a chunked body was answered 413 after {raw.BodySent / 1024} KiB of 100 MiB had been sent");
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string token, string cookie, string subject, string? website)
    {
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Form.Name"] = "Sam", ["Form.Email"] = "sam@example.com", ["Form.Subject"] = subject,
            ["Form.Message"] = "From the form", ["Form.Category"] = "general", ["Form.IdempotencyKey"] = Guid.NewGuid().ToString("N"),
        };
        if (website is not null)
        {
            fields["Form.Website"] = website;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, "/contact") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}

public sealed class AbuseTestsOnSqlite(SqliteAppLimitedToThree app, ITestOutputHelper output) : AbuseTests(app, output), IClassFixture<SqliteAppLimitedToThree>;

public sealed class AbuseTestsOnPostgres(PostgresAppLimitedToThree app, ITestOutputHelper output) : AbuseTests(app, output), IClassFixture<PostgresAppLimitedToThree>;
