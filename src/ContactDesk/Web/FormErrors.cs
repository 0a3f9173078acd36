using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ContactDesk.Web;

/// <summary>Field errors (from <see cref="Hosting.FieldErrors"/>) shown beside their fields, tied to them for screen readers.</summary>
public sealed class FormErrors(IDictionary<string, string[]> errors)
{
    public static readonly FormErrors None = new(new Dictionary<string, string[]>());

    public bool Any => errors.Count > 0;

    public string? For(string field) => errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>
    /// <c>aria-invalid</c> and <c>aria-describedby</c> for a field that has an error; a field with a
    /// hint (<paramref name="hintId"/>) is described by the hint always, and by its error when it has one.
    /// </summary>
    public IHtmlContent Describe(string field, string? hintId = null)
    {
        var error = For(field) is null ? null : $"{field}-error";
        string[] ids = [.. new[] { hintId, error }.OfType<string>()];
        return ids.Length == 0
            ? HtmlString.Empty
            : new HtmlString((error is null ? "" : "aria-invalid=\"true\" ") + $"aria-describedby=\"{string.Join(' ', ids)}\"");
    }

    /// <summary>The message paragraph that <see cref="Describe"/> points at.</summary>
    public IHtmlContent Message(string field) => For(field) is { } message
        ? new HtmlString($"<p class=\"field-error\" id=\"{field}-error\">{HtmlEncoder.Default.Encode(message)}</p>")
        : HtmlString.Empty;
}
