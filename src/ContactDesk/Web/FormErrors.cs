using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ContactDesk.Web;

/// <summary>Field errors (from <see cref="Hosting.FieldErrors"/>) shown beside their fields, tied to them for screen readers.</summary>
public sealed class FormErrors(IDictionary<string, string[]> errors)
{
    public static readonly FormErrors None = new(new Dictionary<string, string[]>());

    public bool Any => errors.Count > 0;

    public string? For(string field) => errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary><c>aria-invalid</c> and <c>aria-describedby</c> for a field that has an error.</summary>
    public IHtmlContent Describe(string field) => For(field) is null
        ? HtmlString.Empty
        : new HtmlString($"aria-invalid=\"true\" aria-describedby=\"{field}-error\"");

    /// <summary>The message paragraph that <see cref="Describe"/> points at.</summary>
    public IHtmlContent Message(string field) => For(field) is { } message
        ? new HtmlString($"<p class=\"field-error\" id=\"{field}-error\">{HtmlEncoder.Default.Encode(message)}</p>")
        : HtmlString.Empty;
}
