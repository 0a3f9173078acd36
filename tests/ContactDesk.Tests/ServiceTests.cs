using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactDesk.Tests;

/// <summary>Contract §2: health, the OpenAPI document and its browsable reference, and the JSON conventions.</summary>
public abstract partial class ServiceTests(ContactDeskApp app)
{
    /// <summary>Every endpoint of contract §3–4, as "METHOD path" with each path parameter written <c>{}</c>.</summary>
    public static readonly string[] ContractEndpoints =
    [
        "POST /api/v1/auth/login", "POST /api/v1/auth/register", "GET /api/v1/auth/me",
        "POST /api/v1/contact/submit", "GET /api/v1/contact", "GET /api/v1/contact/{}", "GET /api/v1/contact/by-ticket/{}",
        "PATCH /api/v1/contact/{}", "POST /api/v1/contact/{}/assign-to-me", "POST /api/v1/contact/{}/mark-resolved",
        "POST /api/v1/contact/{}/archive", "POST /api/v1/contact/{}/restore", "POST /api/v1/contact/bulk",
        "GET /api/v1/contact/{}/history", "GET /api/v1/contact/export.csv", "GET /api/v1/contact/stats/overview",
        "DELETE /api/v1/contact/{}",
    ];

    [Fact]
    public async Task Healthz_answers_200_while_the_database_answers()
    {
        var response = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_contract_endpoint()
    {
        var document = await OpenApiAsync();
        var documented = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key.ToUpperInvariant()} {Normalize(path.Key)}"))
            .ToHashSet();

        Assert.Empty(ContractEndpoints.Except(documented));
    }

    [Fact]
    public async Task The_OpenAPI_document_names_the_queue_filters_as_the_contract_does()
    {
        var paths = (await OpenApiAsync())["paths"]!.AsObject();
        var list = paths.Single(p => Normalize(p.Key) == "/api/v1/contact").Value!["get"]!;
        var parameters = list["parameters"]!.AsArray().Select(p => (string)p!["name"]!).ToList();

        string[] contract = ["status", "category", "assigned_to", "search", "created_after", "created_before", "ordering", "page", "page_size"];
        Assert.Empty(contract.Except(parameters));
    }

    [Fact]
    public async Task The_OpenAPI_schemas_use_snake_case_property_names_and_lowercase_enums()
    {
        var schemas = (await OpenApiAsync())["components"]!["schemas"]!.AsObject();

        var ticket = schemas.Select(s => s.Value!).Single(s =>
            s["properties"]?.AsObject() is { } p && p.ContainsKey("ticket_number") && p.ContainsKey("message"));
        Assert.Contains("created_at", ticket["properties"]!.AsObject().Select(p => p.Key));
        var properties = schemas.SelectMany(s => s.Value!["properties"]?.AsObject().Select(p => $"{s.Key}.{p.Key}") ?? []).ToList();
        Assert.NotEmpty(properties);
        Assert.All(properties, name => Assert.Matches("^[^.]+\\.[a-z][a-z0-9_]*$", name));

        // A nullable enum (waiting_on, delivery) lists null among its values: that is no spelling.
        var enumValues = schemas.SelectMany(s => s.Value!["enum"]?.AsArray().Select(v => (string?)v).OfType<string>() ?? []).ToList();
        Assert.Contains("in_progress", enumValues);
        Assert.All(enumValues, value => Assert.Matches("^[a-z][a-z0-9_]*$", value));
    }

    [Fact]
    public async Task Docs_answers_200_with_an_HTML_page()
    {
        var response = await app.CreateClient().GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Timestamps_are_UTC_ending_in_Z()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var submitted = await app.SubmitAsync();
        var id = (string)submitted["id"]!;
        var resolved = await (await moderator.Client.PostAsJsonAsync($"/api/v1/contact/{id}/mark-resolved", new { resolution_notes = "Done" }))
            .Content.ReadFromJsonAsync<JsonObject>();
        var page = await moderator.Client.GetFromJsonAsync<JsonObject>("/api/v1/contact/?status=resolved&page_size=100");
        var history = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/contact/{id}/history");

        string?[] timestamps =
        [
            (string?)submitted["created_at"], (string?)submitted["updated_at"],
            (string?)resolved!["created_at"], (string?)resolved["updated_at"], (string?)resolved["resolved_at"],
            .. page!["items"]!.AsArray().SelectMany(t => new[] { (string?)t!["created_at"], (string?)t["updated_at"], (string?)t["resolved_at"] }),
            .. history!.Select(entry => (string?)entry!["at"]),
        ];
        Assert.All(timestamps, t => Assert.Matches(UtcTimestamp(), t ?? "(null)"));
        Assert.Null((string?)submitted["resolved_at"]);
    }

    [Fact]
    public async Task Enum_values_are_lowercase_strings()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var submitted = await app.SubmitAsync(category: "feature");
        Assert.Equal("pending", (string?)submitted["status"]);
        Assert.Equal("feature", (string?)submitted["category"]);

        var claimed = await (await moderator.Client.PostAsync($"/api/v1/contact/{submitted["id"]}/assign-to-me", null))
            .Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("in_progress", (string?)claimed!["status"]);

        var me = await moderator.Client.GetFromJsonAsync<JsonObject>("/api/v1/auth/me");
        Assert.Equal(["moderator"], me!["roles"]!.AsArray().Select(r => (string?)r));

        var stats = await moderator.Client.GetFromJsonAsync<JsonObject>("/api/v1/contact/stats/overview");
        string[] statuses = ["pending", "in_progress", "resolved", "archived"];
        Assert.Equal(statuses.Order(), stats!["by_status"]!.AsObject().Select(s => s.Key).Order());
        Assert.Contains("feature", stats["by_category"]!.AsObject().Select(c => c.Key));
        Assert.All(stats["by_category"]!.AsObject(), c => Assert.Matches("^[a-z]+$", c.Key));
    }

    private async Task<JsonObject> OpenApiAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>"/api/v1/contact/{id}/history" → "/api/v1/contact/{}/history"; no trailing slash.</summary>
    private static string Normalize(string path) => PathParameter().Replace(path, "{}").TrimEnd('/');

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex UtcTimestamp();
}

public sealed class ServiceTestsOnSqlite(SqliteApp app) : ServiceTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceTestsOnPostgres(PostgresApp app) : ServiceTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// Contract §2: <c>/healthz</c> is 200 only while the database answers. PostgreSQL only, and without
/// stopping the server every test class shares: the app reaches it through a <see cref="TcpLink"/> the
/// test cuts, or the test closes the app's own database to connections. (A fixture pointing at a port
/// where nothing listens cannot be used: the app applies migrations at start-up, so it never starts.)
/// </summary>
public sealed class DatabaseDownServiceTests(PostgresAppBehindALink app) : IClassFixture<PostgresAppBehindALink>
{
    [Fact]
    public async Task While_the_database_is_unreachable_healthz_is_503_and_the_API_503_with_Retry_After_until_it_is_back()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        app.Link.Cut();
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
            var submit = await SubmitAsync(client);
            await submit.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Matches("^[0-9]+$", Assert.Single(submit.Headers.GetValues("Retry-After")));
        }
        finally
        {
            app.Link.Restore();
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client)).StatusCode);
    }

    [Fact]
    public async Task While_the_database_refuses_connections_healthz_is_503_and_the_API_503_until_it_accepts_them()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        await SetAcceptingConnectionsAsync(app.Database, false);
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/healthz")).StatusCode);
            // Sessions ended by the server (57P01) and a database closed to connections are both "try again".
            var submit = await SubmitAsync(client);
            await submit.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Matches("^[0-9]+$", Assert.Single(submit.Headers.GetValues("Retry-After")));
        }
        finally
        {
            await SetAcceptingConnectionsAsync(app.Database, true);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(client)).StatusCode);
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client) => client.PostAsJsonAsync("/api/v1/contact/submit",
        new { name = "Sam", email = "sam@example.com", subject = "Is the database there?", message = "Hello" });

    /// <summary>Closes <paramref name="database"/> to new connections and ends its sessions, or opens it again.</summary>
    private static async Task SetAcceptingConnectionsAsync(string database, bool accepting)
    {
        await using var admin = new NpgsqlConnection(PostgresServer.Instance.ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {accepting}", admin);
        await alter.ExecuteNonQueryAsync();
        if (!accepting)
        {
            await using var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database", admin);
            terminate.Parameters.AddWithValue("database", database);
            await terminate.ExecuteScalarAsync();
        }
    }
}

/// <summary>The app on a fresh PostgreSQL database that it reaches through a <see cref="TcpLink"/>.</summary>
public sealed class PostgresAppBehindALink : ContactDeskApp
{
    public PostgresAppBehindALink()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresServer.Instance.ConnectionString(Database));
        Link = new TcpLink(new IPEndPoint(Dns.GetHostAddresses(server.Host!)[0], server.Port));
    }

    public string Database { get; } = $"contactdesk_{Guid.NewGuid():N}";

    public TcpLink Link { get; }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(PostgresServer.Instance.ConnectionString(Database)) { Host = "127.0.0.1", Port = Link.Port, Timeout = 5 }.ConnectionString;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Link.Dispose();
        }
    }
}
