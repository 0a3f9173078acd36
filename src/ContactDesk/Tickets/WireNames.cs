using System.Collections.Frozen;
using System.Text.Json;

namespace ContactDesk.Tickets;

/// <summary>
/// The one spelling of enum values used on the wire and in the database: snake_case lower
/// (<c>in_progress</c>), the same as the JSON naming policy.
/// </summary>
public static class WireNames
{
    // Worked out once per enum: these run for every value of every row read or written.
    private static class Table<TEnum> where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Names =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> Values =
            Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

        public static readonly string All = string.Join(", ", Enum.GetValues<TEnum>().Select(v => Names[v]));
    }

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Table<TEnum>.Names.TryGetValue(value, out var name) ? name : JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        if (text is not null && Table<TEnum>.Values.TryGetValue(text.Trim(), out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value) ? value : throw new FormatException($"Unknown {typeof(TEnum).Name} '{text}'.");

    public static string AllOf<TEnum>() where TEnum : struct, Enum => Table<TEnum>.All;
}
