using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests.OpenApi;

/// <summary>
/// The OpenAPI document the app serves: it is the committed docs/openapi.json (which CI lints and
/// generates the client from), and every operation says who may call it and how it fails.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task The_served_document_is_the_committed_docs_openapi_json()
    {
        var served = await ServedAsync();
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "openapi.json")));

        Assert.True(JsonNode.DeepEquals(served, committed),
            "The app serves another OpenAPI document than docs/openapi.json: run scripts/openapi.sh and commit what it changes.");
    }

    [Fact]
    public async Task Every_operation_declares_its_security_and_its_errors_as_problems()
    {
        var failures = new List<string>();
        foreach (var (path, item) in (await ServedAsync())["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                if (operation!["security"] is not JsonArray { Count: > 0 })
                {
                    failures.Add($"{name}: no security requirement (anonymous ones have [{{}}])");
                }
                var responses = operation["responses"]!.AsObject();
                if (!responses.Any(r => r.Key.StartsWith('4')))
                {
                    failures.Add($"{name}: no 4xx response");
                }
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    if (response!["content"]?["application/problem+json"]?["schema"] is null)
                    {
                        failures.Add($"{name}: {status} is not an application/problem+json body");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Email_in_asks_for_its_own_secret_and_upload_forms_show_their_files()
    {
        var document = await ServedAsync();
        var receive = document["paths"]!["/api/v1/inbound/email"]!["post"]!;
        var scheme = document["components"]!["securitySchemes"]!["inboundToken"]!;

        // Anonymous to the sign-in layer, but not to a client: it must send Email:Inbound:Token.
        Assert.Equal(["inboundToken"], receive["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
        Assert.Equal(("http", "bearer"), ((string)scheme["type"]!, (string)scheme["scheme"]!));
        Assert.Equal(["message/rfc822"], receive["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        foreach (var path in new[] { "/api/v1/contact/{id}/messages", "/api/v1/portal/{token}/messages" })
        {
            var form = document["paths"]![path]!["post"]!["requestBody"]!["content"]!["multipart/form-data"]!["schema"]!;
            var files = form["allOf"]!.AsArray().Select(s => s!["properties"]?["files"]).Single(f => f is not null)!;
            Assert.Equal(("array", "binary"), ((string)files["type"]!, (string)files["items"]!["format"]!));
        }
    }

    [Fact]
    public async Task The_agreement_check_refuses_a_body_unlike_its_schema_an_undocumented_status_and_a_missing_header()
    {
        var contract = new OpenApiContract((await ServedAsync()).AsObject());

        var wrongBody = await contract.CheckAsync("GetTicket", Answer(HttpStatusCode.OK, """{"id": 5, "extra": true}""", etag: true));
        var undocumented = await contract.CheckAsync("GetTicket", Answer(HttpStatusCode.Conflict, """{"status": 409}""", "application/problem+json"));
        var notFound = await contract.CheckAsync("GetTicket", Answer(HttpStatusCode.NotFound, "{}", "application/problem+json"));
        var incomplete = await contract.CheckAsync("Me", Answer(HttpStatusCode.OK, """{"id": "0193a1f4-7c2e-7d3a-9b1e-4f5a6b7c8d9e"}"""));

        Assert.Contains(wrongBody, f => f.Contains("does not match its schema", StringComparison.Ordinal));
        Assert.Equal(["409 is not a documented response"], undocumented);
        Assert.Empty(notFound); // a 404 declares no ETag, and {} is a valid problem
        Assert.Contains(incomplete, f => f.Contains("does not match its schema", StringComparison.Ordinal));
        Assert.Contains(await contract.CheckAsync("GetTicket", Answer(HttpStatusCode.OK, "{}", etag: false)), f => f == "no ETag header");
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string mediaType = "application/json", bool etag = false)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (etag)
        {
            response.Headers.TryAddWithoutValidation("ETag", "\"1\"");
        }
        return response;
    }

    private async Task<JsonNode> ServedAsync() => JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
}
