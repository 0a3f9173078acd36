using System.Net.Mail;

namespace ContactDesk.Hosting;

/// <summary>Collects per-field validation messages in the contract's <c>errors</c> shape.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Trims <paramref name="value"/> and checks it is 1..<paramref name="max"/> characters, none of them NUL.</summary>
    public string Text(string field, string? value, int max)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            Add(field, "This field is required.");
        }
        else if (text.Length > max)
        {
            Add(field, $"At most {max} characters.");
        }
        else
        {
            NoNul(field, text);
        }
        return text;
    }

    /// <summary>Optional text: trimmed, empty becomes null, at most <paramref name="max"/> characters, no NUL.</summary>
    public string? OptionalText(string field, string? value, int max)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length > max)
        {
            Add(field, $"At most {max} characters.");
        }
        NoNul(field, text);
        return text;
    }

    /// <summary>
    /// PostgreSQL cannot store U+0000 in text (the write would fail with a 500) and SQLite would keep
    /// it: refuse it on both, as the client's error it is.
    /// </summary>
    public void NoNul(string field, string text)
    {
        if (text.Contains('\0'))
        {
            Add(field, "Must not contain the NUL character (U+0000).");
        }
    }

    /// <summary>An optional enum value by its wire name: null when absent or blank, a field error when not one of them.</summary>
    public TEnum? OptionalEnum<TEnum>(string field, string? text) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (Tickets.WireNames.TryParse<TEnum>(text, out var value))
        {
            return value;
        }
        Add(field, $"Must be one of: {Tickets.WireNames.AllOf<TEnum>()}.");
        return null;
    }

    /// <summary>A single plain address (no display name, no line breaks) of at most 254 characters.</summary>
    public string Email(string field, string? value)
    {
        var email = value?.Trim() ?? "";
        if (email.Length == 0)
        {
            Add(field, "This field is required.");
        }
        else if (email.Length > 254)
        {
            Add(field, "At most 254 characters.");
        }
        else if (!IsEmail(email))
        {
            Add(field, "Enter a valid email address.");
        }
        return email;
    }

    public static bool IsEmail(string email) =>
        !email.Any(char.IsControl) && !email.Contains(' ')
        && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && parsed.Host.Length > 0;

    public IDictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
