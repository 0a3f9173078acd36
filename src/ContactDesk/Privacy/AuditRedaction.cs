using System.Text.Json;
using System.Text.Json.Nodes;
using ContactDesk.Tickets;

namespace ContactDesk.Privacy;

/// <summary>
/// Removes an erased person's values from audit <c>changes</c> (<c>{column: [old, new]}</c>): every
/// value of a personal column, and any other text that contains one of their values.
/// </summary>
public static class AuditRedaction
{
    /// <summary>The ticket columns that hold personal data (the trail names fields by column).</summary>
    private static readonly HashSet<string> PersonalColumns = ["name", "email", "subject", "message", "admin_notes", "resolution_notes"];

    /// <summary>Shorter values would redact ordinary words.</summary>
    private const int MinLength = 3;

    /// <summary>How <paramref name="text"/> appears inside the stored JSON (its escapes), lower-cased like a <c>lower(changes)</c>.</summary>
    public static string JsonText(string text) => JsonEncodedText.Encode(text).ToString().ToLowerInvariant();

    public static IReadOnlyList<string> ValuesOf(IEnumerable<Ticket> tickets, string address) =>
        tickets.SelectMany(t => new[] { t.Name, t.Email, t.Subject, t.AdminNotes, t.ResolutionNotes })
            .Append(address)
            .Where(v => v is { Length: >= MinLength })
            .Select(v => v!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    public static string Redact(string changes, IReadOnlyList<string> values)
    {
        if (JsonNode.Parse(changes) is not JsonObject root)
        {
            return changes;
        }
        foreach (var (column, value) in root.ToList())
        {
            root[column] = PersonalColumns.Contains(column) ? EraseAll(value) : EraseMentions(value, values);
        }
        return root.ToJsonString();
    }

    private static JsonNode? EraseAll(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => new JsonArray(array.Select(EraseAll).ToArray()),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, EraseAll(p.Value)))),
        _ => JsonValue.Create(PersonalData.Erased),
    };

    private static JsonNode? EraseMentions(JsonNode? node, IReadOnlyList<string> values) => node switch
    {
        null => null,
        JsonArray array => new JsonArray(array.Select(n => EraseMentions(n, values)).ToArray()),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, EraseMentions(p.Value, values)))),
        JsonValue v when v.TryGetValue<string>(out var text) && values.Any(p => text.Contains(p, StringComparison.OrdinalIgnoreCase))
            => JsonValue.Create(PersonalData.Erased),
        _ => node.DeepClone(),
    };
}
