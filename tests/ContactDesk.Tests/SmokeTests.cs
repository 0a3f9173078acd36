using System.Net;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests;

public abstract class SmokeTests(ContactDeskApp app)
{
    [Fact]
    public async Task Healthz_answers_200_while_the_database_answers()
    {
        var response = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_moderator_sees_a_submitted_ticket()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var ticket = await app.SubmitAsync(subject: "Smoke test");
        var response = await moderator.Client.GetAsync($"/api/v1/contact/{ticket["id"]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class SmokeTestsOnSqlite(SqliteApp app) : SmokeTests(app), IClassFixture<SqliteApp>;

public sealed class SmokeTestsOnPostgres(PostgresApp app) : SmokeTests(app), IClassFixture<PostgresApp>;
