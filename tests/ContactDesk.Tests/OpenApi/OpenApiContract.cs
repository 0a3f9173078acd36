using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ContactDesk.Tests.OpenApi;

/// <summary>
/// The OpenAPI document as a contract to check real answers against: for an operation and the status it
/// answered, the declared media type, headers and body schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
/// </summary>
public sealed class OpenApiContract
{
    private static readonly Uri DocumentUri = new("https://contactdesk.test/openapi/v1.json");

    private readonly BuildOptions build = new() { SchemaRegistry = new SchemaRegistry() };

    public OpenApiContract(JsonObject document)
    {
        Document = document;
        build.SchemaRegistry.Register(DocumentUri, new JsonElementBaseDocument(JsonSerializer.SerializeToElement(document), DocumentUri));
        Operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => new Operation((string)op.Value!["operationId"]!, op.Key.ToUpperInvariant(), path.Key)))
            .ToList();
    }

    public sealed record Operation(string Id, string Method, string Path);

    public JsonObject Document { get; }

    public IReadOnlyList<Operation> Operations { get; }

    public static async Task<OpenApiContract> LoadAsync(HttpClient client) =>
        new(JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject());

    /// <summary>What in <paramref name="response"/> disagrees with the document; empty when nothing does.</summary>
    public async Task<List<string>> CheckAsync(string operationId, HttpResponseMessage response)
    {
        var operation = Operations.Single(o => o.Id == operationId);
        var status = ((int)response.StatusCode).ToString();
        var pointer = $"/paths/{Escape(operation.Path)}/{operation.Method.ToLowerInvariant()}/responses/{status}";
        var declared = Document["paths"]![operation.Path]![operation.Method.ToLowerInvariant()]!["responses"]![status];
        if (declared is null)
        {
            return [$"{status} is not a documented response"];
        }

        var failures = new List<string>();
        foreach (var header in declared["headers"]?.AsObject().Select(h => h.Key) ?? [])
        {
            if (!response.Headers.NonValidated.Contains(header) && !response.Content.Headers.NonValidated.Contains(header))
            {
                failures.Add($"no {header} header");
            }
        }
        var body = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (declared["content"] is not JsonObject content)
        {
            return body.Length == 0 ? failures : [.. failures, "a body where none is documented"];
        }
        if (mediaType is null || !content.ContainsKey(mediaType))
        {
            return [.. failures, $"Content-Type {mediaType} is not one of the documented {string.Join(", ", content.Select(c => c.Key))}"];
        }
        if (!mediaType.Contains("json", StringComparison.Ordinal))
        {
            return failures; // text/csv: a string, whatever it holds
        }

        var schema = JsonSchema.FromText($$"""{"$ref": "{{DocumentUri}}#{{pointer}}/content/{{Escape(mediaType)}}/schema"}""", build);
        var result = schema.Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
            failures.Add($"body does not match its schema: {string.Join("; ", errors.Distinct().Take(5))}\n{body[..Math.Min(body.Length, 400)]}");
        }
        return failures;
    }

    /// <summary>A key as a JSON Pointer token in a URI fragment: "~" and "/" escaped, then percent-encoded ("+" of problem+json).</summary>
    private static string Escape(string key) => Uri.EscapeDataString(key.Replace("~", "~0").Replace("/", "~1"));
}
