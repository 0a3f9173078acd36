using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>
/// A text field that takes the wire names of an enum (read as text so that a wrong one is a field
/// error): the document shows it as that enum.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OpenApiEnumAttribute(Type enumType) : Attribute
{
    public IEnumerable<string> Names => Enum.GetNames(enumType).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName);
}

/// <summary>Schema details the generator leaves out or gets looser than the wire: what a generated client sees.</summary>
public static class OpenApiSchemas
{
    public static OpenApiOptions AddSchemaDetails(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // Enums are written by name (JsonStringEnumConverter): say they are strings, so that
            // generators make string enums with the wire names rather than untyped values.
            if (schema.Enum is { Count: > 0 } && schema.Type is null)
            {
                schema.Type = schema.Enum.Any(v => v is null) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            }
            // The web defaults read numbers from strings too, so the generator writes "integer or
            // string"; the service only ever writes numbers, and a client should send them.
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
                && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            // A text field that takes a fixed set of words is an enum to a client.
            var attributes = context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(false) ?? [];
            var words = attributes.OfType<AllowedValuesAttribute>().FirstOrDefault()?.Values.Select(v => (string)v!)
                ?? attributes.OfType<OpenApiEnumAttribute>().FirstOrDefault()?.Names;
            if (words is not null)
            {
                schema.Type = JsonSchemaType.String;
                schema.Enum = [.. words.Select(w => JsonValue.Create(w)!)];
            }
            // A problem may carry members of its own (RFC 9457 extensions, such as traceId).
            if (typeof(Microsoft.AspNetCore.Mvc.ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
            {
                schema.AdditionalPropertiesAllowed = true;
            }
            OpenApiExamples.Apply(schema, context.JsonTypeInfo.Type);
            return Task.CompletedTask;
        });
        return options;
    }
}
