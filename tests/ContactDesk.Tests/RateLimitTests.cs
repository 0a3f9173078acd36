using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests;

/// <summary>
/// Contract §1–2: <c>RateLimiting:Submit:PermitLimit</c> submissions per client IP per window, then
/// <c>429</c> with <c>Retry-After</c>. On a real port, where the app sees each client's IP: every
/// test submits from a loopback address of its own, so the tests do not share a window.
/// </summary>
public abstract class RateLimitTests(ContactDeskApp app)
{
    public static readonly KeyValuePair<string, string?>[] ThreePerMinute =
    [
        new("RateLimiting:Submit:PermitLimit", "3"),
        new("RateLimiting:Submit:WindowSeconds", "60"),
    ];

    [Fact]
    public async Task The_fourth_submission_from_one_client_is_a_429_problem_with_Retry_After_and_is_not_stored()
    {
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        var subjects = Enumerable.Range(1, 4).Select(i => $"Rate limit {i} {Guid.NewGuid():N}").ToList();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, subjects[i])).StatusCode);
        }

        var fourth = await SubmitAsync(client, subjects[3]);

        await fourth.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = Assert.Single(fourth.Headers.GetValues("Retry-After"));
        Assert.Matches("^[0-9]+$", retryAfter);
        Assert.InRange(int.Parse(retryAfter), 1, 60);
        Assert.Equal(3, await app.QueryAsync(db => db.Tickets.CountAsync(t => subjects.Contains(t.Subject))));
    }

    [Fact]
    public async Task Another_client_can_still_submit()
    {
        using var first = app.CreateClientFrom(RealServer.NewClientAddress());
        await ExhaustAsync(first);

        using var second = app.CreateClientFrom(RealServer.NewClientAddress());
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(second, "From another client")).StatusCode);
    }

    [Fact]
    public async Task Other_endpoints_are_not_limited()
    {
        var moderator = await app.CreateUserAsync("moderator");
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        await ExhaustAsync(client);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = moderator.Email, password = moderator.Password });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(moderator.Email, moderator.Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/contact/?page_size=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/contact/stats/overview")).StatusCode);
    }

    /// <summary>Submits until the client is refused, which must happen on the fourth submission.</summary>
    private static async Task ExhaustAsync(HttpClient client)
    {
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client, $"Filling the window {i}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SubmitAsync(client, "One too many")).StatusCode);
    }

    internal static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string subject) =>
        client.PostAsJsonAsync("/api/v1/contact/submit", new { name = "Sam", email = "sam@example.com", subject, message = "Hello" });
}

public sealed class SqliteAppLimitedToThree : SqliteApp
{
    public SqliteAppLimitedToThree() => this.ListenOnLoopback();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. RateLimitTests.ThreePerMinute];
}

public sealed class PostgresAppLimitedToThree : PostgresApp
{
    public PostgresAppLimitedToThree() => this.ListenOnLoopback();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. RateLimitTests.ThreePerMinute];
}

public sealed class RateLimitTestsOnSqlite(SqliteAppLimitedToThree app) : RateLimitTests(app), IClassFixture<SqliteAppLimitedToThree>;

public sealed class RateLimitTestsOnPostgres(PostgresAppLimitedToThree app) : RateLimitTests(app), IClassFixture<PostgresAppLimitedToThree>;

/// <summary><c>PermitLimit=0</c> turns the limit off.</summary>
public abstract class DisabledRateLimitTests(ContactDeskApp app)
{
    public static readonly KeyValuePair<string, string?>[] Off = [new("RateLimiting:Submit:PermitLimit", "0")];

    [Fact]
    public async Task With_PermitLimit_0_ten_quick_submissions_from_one_client_are_all_201()
    {
        using var client = app.CreateClientFrom(RealServer.NewClientAddress());
        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await RateLimitTests.SubmitAsync(client, $"Unlimited {i}")).StatusCode);
        }
    }
}

public sealed class SqliteAppWithoutRateLimit : SqliteApp
{
    public SqliteAppWithoutRateLimit() => this.ListenOnLoopback();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. DisabledRateLimitTests.Off];
}

public sealed class PostgresAppWithoutRateLimit : PostgresApp
{
    public PostgresAppWithoutRateLimit() => this.ListenOnLoopback();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. DisabledRateLimitTests.Off];
}

public sealed class DisabledRateLimitTestsOnSqlite(SqliteAppWithoutRateLimit app) : DisabledRateLimitTests(app), IClassFixture<SqliteAppWithoutRateLimit>;

public sealed class DisabledRateLimitTestsOnPostgres(PostgresAppWithoutRateLimit app) : DisabledRateLimitTests(app), IClassFixture<PostgresAppWithoutRateLimit>;
