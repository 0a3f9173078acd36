using System.Buffers;
using ContactDesk.Hosting;

namespace ContactDesk.Tags;

/// <summary>
/// The contract's tag names: 1–40 characters from <c>a-z 0-9 - _ .</c>, given trimmed and lower-cased.
/// A ticket keeps its tags as one sorted, space-separated text (<see cref="Join"/>): what the ticket's
/// JSON and the audit trail show; <c>ticket_tags</c> mirrors it for filtering.
/// </summary>
public static class TagNames
{
    public const int MaxLength = 40, MaxPerTicket = 20;

    /// <summary>Room for <see cref="MaxPerTicket"/> names and their separators.</summary>
    public const int ColumnLength = MaxPerTicket * (MaxLength + 1);

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>The normalized name, or null (with a field error) when it is not a valid tag.</summary>
    public static string? Normalize(string field, string? text, FieldErrors errors)
    {
        var name = text?.Trim().ToLowerInvariant() ?? "";
        if (name.Length is 0 or > MaxLength || name.AsSpan().ContainsAnyExcept(Allowed))
        {
            errors.Add(field, $"'{Shorten(text ?? "")}' is not a tag: use 1 to {MaxLength} characters from a-z, 0-9, '-', '_' and '.'.");
            return null;
        }
        return name;
    }

    /// <summary>A set of names, normalized, without repeats; null (with field errors) when any is invalid.</summary>
    public static SortedSet<string>? NormalizeAll(string field, IEnumerable<string?> texts, FieldErrors errors)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var text in texts)
        {
            if (Normalize(field, text, errors) is { } name)
            {
                names.Add(name);
            }
            else
            {
                valid = false;
            }
        }
        if (names.Count > MaxPerTicket)
        {
            errors.Add(field, $"At most {MaxPerTicket} tags.");
            valid = false;
        }
        return valid ? names : null;
    }

    public static string Join(IEnumerable<string> names) => string.Join(' ', names.Order(StringComparer.Ordinal));

    public static IReadOnlyList<string> Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Shorten(string text) => text.Length > 50 ? text[..50] + "…" : text;
}
