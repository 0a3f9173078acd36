using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests;

/// <summary>Small helpers for the moderation API tests: requests, wire-level assertions, CSV.</summary>
public static class ModerationApiExtensions
{
    public const string Contact = "/api/v1/contact";

    /// <summary>A word no other ticket contains, to find a test's own tickets with <c>search=</c>.</summary>
    public static string UniqueWord() => "kw" + Guid.NewGuid().ToString("N")[..16];

    public static Guid IdOf(this JsonNode ticket) => Guid.Parse((string)ticket["id"]!);

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<JsonArray> ReadArrayAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

    /// <summary>GETs <paramref name="url"/>, expects 200 and returns the JSON object.</summary>
    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    /// <summary>The ids of a page of the queue, in the order given.</summary>
    public static async Task<List<Guid>> ListIdsAsync(this HttpClient client, string query)
    {
        var page = await client.GetObjectAsync($"{Contact}/?{query}");
        return page["items"]!.AsArray().Select(t => t!.IdOf()).ToList();
    }

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, Guid id, object body, string? ifMatch = null) =>
        client.PatchRawAsync(id, JsonSerializer.Serialize(body), ifMatch);

    public static Task<HttpResponseMessage> PatchRawAsync(this HttpClient client, Guid id, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"{Contact}/{id}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return client.SendAsync(request);
    }

    /// <summary>POSTs a ticket action (assign-to-me, mark-resolved, archive, restore) without a body.</summary>
    public static Task<HttpResponseMessage> ActAsync(this HttpClient client, Guid id, string action) =>
        client.PostAsync($"{Contact}/{id}/{action}", null);

    /// <summary>POSTs a ticket action, expects 200 and returns the ticket.</summary>
    public static async Task<JsonObject> ActOkAsync(this HttpClient client, Guid id, string action)
    {
        var response = await client.ActAsync(id, action);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    public static async Task AssertStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"Expected {(int)expected} but got {(int)response.StatusCode} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        }
    }

    /// <summary>Asserts an RFC 9457 problem with this status and returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.AssertStatusAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadObjectAsync();
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), "problem has no title");
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), "problem has no detail");
        return problem;
    }

    /// <summary>Asserts a 400 validation problem with at least one message for <paramref name="field"/>.</summary>
    public static async Task<JsonObject> AssertValidationErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null, $"no errors in {problem.ToJsonString()}");
        Assert.True(errors.ContainsKey(field), $"no errors.{field} in {problem.ToJsonString()}");
        Assert.NotEmpty(errors[field]!.AsArray());
        return problem;
    }

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                Assert.False(c == '"', $"a bare quote inside an unquoted CSV field at offset {i}");
                field.Append(c);
            }
        }
        Assert.False(quoted, "the CSV ends inside a quoted field");
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }
        return rows;
    }

    /// <summary>A signed-in client for a role, or an anonymous one for <c>"anonymous"</c>.</summary>
    public static async Task<HttpClient> ClientForAsync(this ContactDeskApp app, string role) =>
        role == "anonymous" ? app.CreateClient() : (await app.CreateUserAsync(role)).Client;
}
