using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>
/// The error responses every operation can give, worked out from what the endpoint is (contract §2),
/// each an <c>application/problem+json</c> body; and the headers that go with them. An endpoint only
/// declares what cannot be seen from its metadata (409, 412, a 401 of its own) with
/// <c>ProducesProblem</c>, and its own headers with <see cref="OpenApiHeaders"/>.
/// </summary>
public static class OpenApiResponses
{
    public const string ProblemJson = "application/problem+json";

    public static OpenApiOptions AddProblemResponses(this OpenApiOptions options)
    {
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var parameters = operation.Parameters ?? [];
            var hasBody = operation.RequestBody is not null;

            var statuses = new SortedSet<int>();
            if (hasBody || parameters.Any(p => p.In is ParameterLocation.Query or ParameterLocation.Header))
            {
                statuses.Add(StatusCodes.Status400BadRequest); // a field error, or a body that is not the JSON asked for
            }
            if (OpenApiBearer.RequiresSignIn(metadata) || OpenApiBearer.RequiresSharedSecret(metadata))
            {
                statuses.Add(StatusCodes.Status401Unauthorized);
            }
            if (OpenApiBearer.RequiresRole(metadata))
            {
                statuses.Add(StatusCodes.Status403Forbidden);
            }
            if (parameters.Any(p => p.In == ParameterLocation.Path))
            {
                statuses.Add(StatusCodes.Status404NotFound); // an unknown id
            }
            if (hasBody)
            {
                statuses.Add(StatusCodes.Status413PayloadTooLarge);
                statuses.Add(StatusCodes.Status415UnsupportedMediaType);
            }
            if (metadata.OfType<EnableRateLimitingAttribute>().Any())
            {
                statuses.Add(StatusCodes.Status429TooManyRequests);
            }
            statuses.Add(StatusCodes.Status503ServiceUnavailable); // the database is unreachable: retry
            foreach (var declared in metadata.OfType<IProducesResponseTypeMetadata>().Where(m => m.StatusCode >= 400))
            {
                statuses.Add(declared.StatusCode);
            }

            await DeclaredRequestBodyAsync(operation, context, ct);
            UploadForm(operation, metadata);
            operation.Responses ??= [];
            foreach (var status in statuses)
            {
                var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
                var response = new OpenApiResponse
                {
                    Description = Description(status, operation, metadata),
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ProblemJson] = new() { Schema = await SchemaReferenceAsync(type, context, ct) },
                    },
                };
                if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
                {
                    response.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = OpenApiHeaders.RetryAfter() };
                }
                operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
            }
            OpenApiHeaders.Apply(operation, metadata);
        });
        return options;
    }

    /// <summary>
    /// A body read as raw JSON (to tell a missing field from a null one) is shown as the type the
    /// endpoint declares with <c>Accepts&lt;T&gt;</c>, not as "any JSON".
    /// </summary>
    private static async Task DeclaredRequestBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>()
            .LastOrDefault(a => a.RequestType is { } t && t != typeof(System.Text.Json.JsonElement))?.RequestType;
        if (declared is null || operation.RequestBody?.Content is not { } content)
        {
            return;
        }
        foreach (var media in content.Values.Where(m => m.Schema is OpenApiSchemaReference { Reference.Id: nameof(System.Text.Json.JsonElement) }))
        {
            media.Schema = await SchemaReferenceAsync(declared, context, ct);
        }
    }

    /// <summary>What the status means for this operation: the service-wide meaning unless its body or secret is another.</summary>
    private static string Description(int status, OpenApiOperation operation, IList<object> metadata) => status switch
    {
        StatusCodes.Status401Unauthorized when OpenApiBearer.RequiresSharedSecret(metadata) =>
            "The shared secret is missing or wrong: send 'Authorization: Bearer <Email:Inbound:Token>'.",
        StatusCodes.Status413PayloadTooLarge when metadata.OfType<AcceptsUploadsAttribute>().Any() =>
            "The body, a file or the files together are larger than the configured limits.",
        StatusCodes.Status413PayloadTooLarge when metadata.OfType<OwnBodyLimit>().Any() =>
            "The request body is larger than this operation's configured limit.",
        StatusCodes.Status415UnsupportedMediaType when operation.RequestBody?.Content is { Count: > 0 } content =>
            $"Send the body as {string.Join(" or ", content.Keys)}.",
        _ => ProblemResponses.DefaultDetail(status),
    };

    /// <summary>
    /// A form that takes files (<see cref="AcceptsUploadsAttribute"/>) is shown as it is sent: the
    /// fields of the declared type as text parts, and any number of <c>files</c> parts.
    /// </summary>
    private static void UploadForm(OpenApiOperation operation, IList<object> metadata)
    {
        if (!metadata.OfType<AcceptsUploadsAttribute>().Any()
            || operation.RequestBody?.Content?.TryGetValue(JsonOrForm.FormType, out var form) != true || form!.Schema is not { } fields)
        {
            return;
        }
        form.Schema = new OpenApiSchema
        {
            AllOf =
            [
                fields,
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["files"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Array,
                            Description = "The files, one part each with its filename; the service sniffs their type.",
                            Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                        },
                    },
                },
            ],
        };
    }

    /// <summary>A <c>$ref</c> to the type's schema in <c>components</c>, adding it there on first use.</summary>
    private static async Task<IOpenApiSchema> SchemaReferenceAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(type.Name))
        {
            document.Components.Schemas[type.Name] = await context.GetOrCreateSchemaAsync(type, null, ct);
        }
        return new OpenApiSchemaReference(type.Name, document);
    }
}
