using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>
/// A text field that takes a fixed set of words, such as the wire names of an enum. It is read as text
/// so that a wrong word is a field error; the document shows it as the enum it is to a client.
/// </summary>
/// <remarks>Not a validation attribute: what is valid stays the endpoint's own validator's business.</remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OpenApiEnumAttribute : Attribute
{
    public OpenApiEnumAttribute(Type enumType) => Names = [.. Enum.GetNames(enumType).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName)];

    public OpenApiEnumAttribute(params string[] names) => Names = names;

    public IReadOnlyList<string> Names { get; }
}

/// <summary>A number read as text (so that "abc" is a field error, not a binding failure): an integer to a client.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OpenApiIntegerAttribute(int minimum, int maximum) : Attribute
{
    public int Minimum => minimum;

    public int Maximum => maximum;
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
            var attributes = context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(false)
                ?? (context.ParameterDescription?.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo.GetCustomAttributes(false)
                ?? [];
            if (attributes.OfType<OpenApiEnumAttribute>().FirstOrDefault() is { } words)
            {
                schema.Type = JsonSchemaType.String;
                schema.Enum = [.. words.Names.Select(w => JsonValue.Create(w)!)];
            }
            if (attributes.OfType<OpenApiIntegerAttribute>().FirstOrDefault() is { } integer)
            {
                schema.Type = JsonSchemaType.Integer;
                schema.Minimum = integer.Minimum.ToString(CultureInfo.InvariantCulture);
                schema.Maximum = integer.Maximum.ToString(CultureInfo.InvariantCulture);
            }
            // A problem may carry members of its own (RFC 9457 extensions, such as traceId).
            if (typeof(Microsoft.AspNetCore.Mvc.ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
            {
                schema.AdditionalPropertiesAllowed = true;
            }
            OpenApiExamples.Apply(schema, context.JsonTypeInfo.Type);
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            NullableEnumsWithoutNull(document);
            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>
    /// A nullable enum property (<c>WaitingOn?</c>) becomes a component whose values include <c>null</c>,
    /// referred to as <c>oneOf: [null, $ref]</c>: null twice, which a linter calls overlapping and a
    /// generator turns into an enum member without a name. The component lists the words only; the
    /// property's <c>oneOf</c> keeps it nullable.
    /// </summary>
    private static void NullableEnumsWithoutNull(OpenApiDocument document)
    {
        foreach (var schema in (document.Components?.Schemas?.Values ?? []).OfType<OpenApiSchema>())
        {
            if (schema.Enum is { Count: > 0 } values && values.Any(v => v is null || v.GetValueKind() == JsonValueKind.Null))
            {
                schema.Enum = [.. values.Where(v => v is not null && v.GetValueKind() != JsonValueKind.Null)];
                if (schema.Type is { } type)
                {
                    schema.Type = type & ~JsonSchemaType.Null;
                }
            }
        }
    }
}
