using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>A header an endpoint reads (<c>If-Match</c>) or writes (<c>ETag</c>), for its OpenAPI operation.</summary>
public sealed record HeaderMetadata(string Name, string Description, int? ResponseStatus);

/// <summary>
/// Headers in the OpenAPI document. <c>Location</c> on every 201 and <c>Retry-After</c> on 429 and 503
/// are added for all operations; any other header is declared where the endpoint is mapped.
/// </summary>
public static class OpenApiHeaders
{
    /// <summary>Declares a request header the handler reads from the request itself (not a bound parameter).</summary>
    public static TBuilder WithRequestHeader<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HeaderMetadata(name, description, null));

    /// <summary>Declares a header of the response with <paramref name="status"/>.</summary>
    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, int status, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HeaderMetadata(name, description, status));

    public static OpenApiHeader RetryAfter() => Header("Seconds to wait before retrying.", JsonSchemaType.Integer);

    internal static void Apply(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status == "201" && response is OpenApiResponse created)
            {
                created.Headers ??= new Dictionary<string, IOpenApiHeader>();
                created.Headers["Location"] = Header("The address of what was created.", JsonSchemaType.String);
            }
        }
        foreach (var header in metadata.OfType<HeaderMetadata>())
        {
            if (header.ResponseStatus is { } status)
            {
                if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var found) == true
                    && found is OpenApiResponse response)
                {
                    response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    response.Headers[header.Name] = Header(header.Description, JsonSchemaType.String);
                }
                continue;
            }
            operation.Parameters ??= [];
            // A header bound with [FromHeader] is already a parameter: it gets the description only.
            if (operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.In == ParameterLocation.Header && p.Name == header.Name) is { } bound)
            {
                bound.Description = header.Description;
                continue;
            }
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };
}
