using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactDesk.Tests;

/// <summary>Contract §2: every error is RFC 9457 problem+json with status, title and detail.</summary>
public abstract class ProblemDetailsTests(ContactDeskApp app)
{
    private const string Submit = "/api/v1/contact/submit";

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        await (await client.GetAsync("/api/v1/no-such-thing")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.CreateClient().GetAsync("/no-such-page")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_ticket_id_is_a_404_problem()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var response = await moderator.Client.GetAsync($"/api/v1/contact/{Guid.NewGuid()}");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem_that_names_the_allowed_one()
    {
        var response = await app.CreateClient().DeleteAsync(Submit);
        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400_problem_and_stores_nothing()
    {
        var before = await TicketCountAsync();
        var response = await PostJsonAsync(Submit, """{"name": "Sam", "email": "sam@example.com", "subject": """);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await TicketCountAsync());
    }

    [Theory]
    [InlineData("name", "123")]
    [InlineData("subject", "true")]
    [InlineData("message", """{"text": "hi"}""")]
    [InlineData("category", """["bug"]""")]
    public async Task A_field_of_the_wrong_JSON_type_is_a_400_problem_whose_errors_name_the_field(string field, string json)
    {
        var body = new Dictionary<string, string>
        {
            ["name"] = "\"Sam\"", ["email"] = "\"sam@example.com\"", ["subject"] = "\"Hi\"", ["message"] = "\"Hello\"", ["category"] = "\"bug\"",
        };
        body[field] = json;
        var response = await PostJsonAsync(Submit, "{" + string.Join(", ", body.Select(p => $"\"{p.Key}\": {p.Value}")) + "}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors should name '{field}': {problem}");
        Assert.NotEmpty(errors[field]!.AsArray());
    }

    [Fact]
    public async Task A_wrong_type_in_a_snake_case_field_is_named_as_sent()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var ticket = await app.SubmitAsync();
        var response = await moderator.Client.PostAsync($"/api/v1/contact/{ticket["id"]}/mark-resolved",
            new StringContent("""{"resolution_notes": 42}""", Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("resolution_notes"), problem.ToJsonString());
    }

    [Theory]
    [InlineData("name")]
    [InlineData("subject")]
    [InlineData("message")]
    public async Task A_NUL_character_in_a_text_field_is_a_400_problem_naming_the_field(string field)
    {
        var form = new Dictionary<string, string> { ["name"] = "Sam", ["email"] = "sam@example.com", ["subject"] = "Hi", ["message"] = "Hello" };
        form[field] = "Null\0byte";
        var before = await TicketCountAsync();

        var response = await app.CreateClient().PostAsJsonAsync(Submit, form);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task A_NUL_character_in_a_login_is_a_400_problem()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = "sam\0@example.com", password = "x" });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_NUL_character_in_the_moderators_notes_or_search_is_a_400_problem()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = (string)(await app.SubmitAsync())["id"]!;

        var statuses = new Dictionary<string, int>
        {
            ["PATCH admin_notes"] = (int)(await moderator.Client.PatchAsJsonAsync($"/api/v1/contact/{id}", new { admin_notes = "Null\0byte" })).StatusCode,
            ["GET ?search"] = (int)(await moderator.Client.GetAsync("/api/v1/contact/?search=Null%00byte")).StatusCode,
            ["POST mark-resolved"] = (int)(await moderator.Client.PostAsJsonAsync($"/api/v1/contact/{id}/mark-resolved", new { resolution_notes = "Null\0byte" })).StatusCode,
        };

        var expected = new Dictionary<string, int> { ["PATCH admin_notes"] = 400, ["GET ?search"] = 400, ["POST mark-resolved"] = 400 };
        Assert.Equal(expected, statuses);
    }

    [Fact]
    public async Task An_empty_body_is_a_400_problem()
    {
        await (await PostJsonAsync(Submit, "")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415_problem()
    {
        var response = await app.CreateClient().PostAsync(Submit, new StringContent("name=Sam", Encoding.UTF8, "text/plain"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task No_token_is_a_401_problem_and_a_bad_token_too()
    {
        var anonymous = await app.CreateClient().GetAsync("/api/v1/contact/");
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        await (await client.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_user_without_the_role_gets_a_403_problem()
    {
        var user = await app.CreateUserAsync("user");
        await (await user.Client.GetAsync("/api/v1/contact/")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_conflict_is_a_409_problem_and_a_stale_If_Match_a_412_problem()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var form = new { name = "Sam", email = "sam@example.com", subject = "First", message = "Hello" };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Submit, form)).StatusCode);
        await (await client.PostAsJsonAsync(Submit, form with { subject = "Second" })).AssertProblemAsync(HttpStatusCode.Conflict);

        var moderator = await app.CreateUserAsync("moderator");
        var ticket = await app.SubmitAsync();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/contact/{ticket["id"]}")
        {
            Content = JsonContent.Create(new { admin_notes = "stale" }),
        };
        patch.Headers.IfMatch.Add(new EntityTagHeaderValue("\"999999\""));
        await (await moderator.Client.SendAsync(patch)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_body_over_64_KiB_with_Content_Length_is_a_413_problem_and_stores_nothing()
    {
        var before = await TicketCountAsync();
        var content = BodyOfSize(64 * 1024 + 1);
        Assert.Equal(64 * 1024 + 1, content.Headers.ContentLength);

        var response = await app.CreateClient().PostAsync(Submit, content);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await TicketCountAsync());
    }

    [Fact]
    public async Task A_body_of_exactly_64_KiB_is_read_not_refused()
    {
        // 64 KiB is allowed; this one is refused only because its message is over 20000 characters.
        var response = await app.CreateClient().PostAsync(Submit, BodyOfSize(64 * 1024));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("message"), problem.ToJsonString());
    }

    /// <summary>A contact form of exactly <paramref name="bytes"/> bytes of UTF-8 JSON.</summary>
    internal static ByteArrayContent BodyOfSize(int bytes)
    {
        const string start = "{\"name\": \"Sam\", \"email\": \"sam@example.com\", \"subject\": \"Big\", \"message\": \"", end = "\"}";
        var json = start + new string('x', bytes - start.Length - end.Length) + end;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        app.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<int> TicketCountAsync() => app.QueryAsync(db => db.Tickets.CountAsync());
}

public sealed class ProblemDetailsTestsOnSqlite(SqliteApp app) : ProblemDetailsTests(app), IClassFixture<SqliteApp>;

public sealed class ProblemDetailsTestsOnPostgres(PostgresApp app) : ProblemDetailsTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// A chunked body has no Content-Length to check up front: the server must cut it off as it streams.
/// Only a real Kestrel server does that (the in-memory TestServer enforces no limits).
/// </summary>
public abstract class ChunkedBodyProblemDetailsTests(ContactDeskApp app)
{
    [Fact]
    public async Task A_chunked_body_over_64_KiB_is_a_413_problem_and_stores_nothing()
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress() };
        var before = await app.QueryAsync(db => db.Tickets.CountAsync());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/contact/submit")
        {
            Content = new ChunkedContent(ProblemDetailsTests.BodyOfSize(200 * 1024)),
        };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await app.QueryAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task A_small_chunked_body_is_accepted()
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress() };
        var form = JsonContent.Create(new { name = "Sam", email = "sam@example.com", subject = "Chunked", message = "Hello" });
        await form.LoadIntoBufferAsync();

        var response = await client.PostAsync("/api/v1/contact/submit", new ChunkedContent(form));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Sends <paramref name="inner"/> with no Content-Length, so HttpClient uses chunked transfer encoding.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent inner;

        public ChunkedContent(HttpContent inner)
        {
            this.inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream, context);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

public sealed class SqliteAppOnKestrel : SqliteApp
{
    public SqliteAppOnKestrel() => this.ListenOnLoopback();
}

public sealed class PostgresAppOnKestrel : PostgresApp
{
    public PostgresAppOnKestrel() => this.ListenOnLoopback();
}

public sealed class ChunkedBodyProblemDetailsTestsOnSqlite(SqliteAppOnKestrel app) : ChunkedBodyProblemDetailsTests(app), IClassFixture<SqliteAppOnKestrel>;

public sealed class ChunkedBodyProblemDetailsTestsOnPostgres(PostgresAppOnKestrel app) : ChunkedBodyProblemDetailsTests(app), IClassFixture<PostgresAppOnKestrel>;

/// <summary>
/// Contract §2: an unhandled fault is a 500 problem with no stack trace or SQL in it. The faults are
/// real: the test breaks its app's data behind the API's back (and mends it), so the next request
/// fails inside the database or inside the app's code. A class of its own, as it breaks its database.
/// </summary>
public abstract class UnhandledFaultProblemDetailsTests(ContactDeskApp app, LogCapture log)
{
    [Fact]
    public async Task A_database_fault_is_a_500_problem_without_SQL_or_stack_trace()
    {
        await ExecuteAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE tickets RENAME TO tickets_gone"));
        try
        {
            var response = await app.CreateClient().PostAsJsonAsync("/api/v1/contact/submit",
                new { name = "Sam", email = "sam@example.com", subject = "After the fault", message = "Hello" });

            var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
            Assert.DoesNotContain("tickets", problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await ExecuteAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE tickets_gone RENAME TO tickets"));
        }
    }

    [Fact]
    public async Task A_fault_in_the_app_is_a_500_problem_without_stack_trace_and_is_logged_for_the_operator()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = Guid.Parse((string)(await app.SubmitAsync())["id"]!);
        // The audit trail is stored as JSON text; unreadable JSON makes /history fail in the app's code.
        await ExecuteAsync(db => db.AuditEntries.Where(a => a.TicketId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Changes, "{not json")));
        var logged = log.Entries.Count;

        var response = await moderator.Client.GetAsync($"/api/v1/contact/{id}/history");

        await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        // The problem says "It has been logged": the exception is in the log, at level Error.
        Assert.Contains(log.Entries.Skip(logged), e => e.Level >= LogLevel.Error && e.Exception is not null);
    }

    private async Task ExecuteAsync(Func<AppDbContext, Task> change)
    {
        using var scope = app.Services.CreateScope();
        await change(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}

public sealed class SqliteAppWithLog : SqliteApp
{
    public LogCapture Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }
}

public sealed class PostgresAppWithLog : PostgresApp
{
    public LogCapture Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }
}

public sealed class UnhandledFaultProblemDetailsTestsOnSqlite(SqliteAppWithLog app)
    : UnhandledFaultProblemDetailsTests(app, app.Log), IClassFixture<SqliteAppWithLog>;

public sealed class UnhandledFaultProblemDetailsTestsOnPostgres(PostgresAppWithLog app)
    : UnhandledFaultProblemDetailsTests(app, app.Log), IClassFixture<PostgresAppWithLog>;
