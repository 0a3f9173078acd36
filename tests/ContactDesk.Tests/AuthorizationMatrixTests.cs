using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// Every endpoint under /api/v1/contact against every kind of caller: anonymous 401, role user 403,
/// moderator allowed (but not DELETE: 403), admin allowed. Denials are problem+json.
/// </summary>
public abstract class AuthorizationMatrixTests(ContactDeskApp app)
{
    public static readonly string[] Endpoints =
    [
        "list", "get", "by-ticket", "patch", "assign-to-me", "mark-resolved", "archive", "restore", "bulk", "history",
        "export.csv", "stats/overview", "delete",
    ];

    public static readonly string[] Callers = ["anonymous", "user", "moderator", "admin"];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var caller in Callers)
            {
                cases.Add(endpoint, caller);
            }
        }
        return cases;
    }

    private static HttpStatusCode Expected(string endpoint, string caller) => (endpoint, caller) switch
    {
        (_, "anonymous") => HttpStatusCode.Unauthorized,
        (_, "user") => HttpStatusCode.Forbidden,
        ("delete", "moderator") => HttpStatusCode.Forbidden,
        ("delete", _) => HttpStatusCode.NoContent,
        _ => HttpStatusCode.OK,
    };

    /// <summary>The request for <paramref name="endpoint"/> on a fresh ticket, in a state where the action applies.</summary>
    private async Task<HttpRequestMessage> RequestAsync(string endpoint)
    {
        var ticket = await app.SubmitAsync();
        var id = ticket.IdOf();
        if (endpoint == "restore")
        {
            await (await app.CreateUserAsync("moderator")).Client.ActOkAsync(id, "archive");
        }
        return endpoint switch
        {
            "list" => new(HttpMethod.Get, $"{Contact}/"),
            "get" => new(HttpMethod.Get, $"{Contact}/{id}"),
            "by-ticket" => new(HttpMethod.Get, $"{Contact}/by-ticket/{ticket["ticket_number"]}"),
            "patch" => new(HttpMethod.Patch, $"{Contact}/{id}") { Content = JsonContent.Create(new { admin_notes = "checked" }) },
            "assign-to-me" or "mark-resolved" or "archive" or "restore" => new(HttpMethod.Post, $"{Contact}/{id}/{endpoint}"),
            "bulk" => new(HttpMethod.Post, $"{Contact}/bulk") { Content = JsonContent.Create(new { ids = new[] { id }, action = "archive" }) },
            "history" => new(HttpMethod.Get, $"{Contact}/{id}/history"),
            "export.csv" or "stats/overview" => new(HttpMethod.Get, $"{Contact}/{endpoint}"),
            "delete" => new(HttpMethod.Delete, $"{Contact}/{id}"),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
        };
    }

    [Theory]
    [MemberData(nameof(Cases), MemberType = typeof(AuthorizationMatrixTests))]
    public async Task Each_endpoint_answers_each_caller_by_role(string endpoint, string caller)
    {
        var client = await app.ClientForAsync(caller);
        var expected = Expected(endpoint, caller);

        var response = await client.SendAsync(await RequestAsync(endpoint));

        if ((int)expected >= 400)
        {
            await response.AssertProblemAsync(expected);
        }
        else
        {
            await response.AssertStatusAsync(expected);
        }
    }

    [Fact]
    public async Task A_denied_change_leaves_the_ticket_as_it_was()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var user = await app.CreateUserAsync("user");
        var id = (await app.SubmitAsync()).IdOf();
        var before = await moderator.Client.GetObjectAsync($"{Contact}/{id}");

        await (await user.Client.ActAsync(id, "assign-to-me")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await app.CreateClient().ActAsync(id, "archive")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await user.Client.PatchJsonAsync(id, new { status = "resolved" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await moderator.Client.DeleteAsync($"{Contact}/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before.ToJsonString(), (await moderator.Client.GetObjectAsync($"{Contact}/{id}")).ToJsonString());
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJl")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task An_invalid_token_is_401(string authorization)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);

        await (await client.GetAsync($"{Contact}/")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync($"{Contact}/stats/overview")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("user")]
    [InlineData("moderator")]
    [InlineData("admin")]
    public async Task Submit_is_open_to_everyone(string caller)
    {
        var client = await app.ClientForAsync(caller);

        var response = await client.PostAsJsonAsync($"{Contact}/submit", new
        {
            name = "Open Door", email = "open@example.com", subject = "Anyone may write", message = "Hello.",
        });

        await response.AssertStatusAsync(HttpStatusCode.Created);
        Assert.NotNull(response.Headers.Location);
    }
}

public sealed class AuthorizationMatrixTestsOnSqlite(SqliteApp app) : AuthorizationMatrixTests(app), IClassFixture<SqliteApp>;

public sealed class AuthorizationMatrixTestsOnPostgres(PostgresApp app) : AuthorizationMatrixTests(app), IClassFixture<PostgresApp>;
