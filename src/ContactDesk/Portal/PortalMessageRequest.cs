namespace ContactDesk.Portal;

/// <summary>The submitter's message as sent by the portal API (JSON or multipart) or the portal page.</summary>
/// <param name="Website">The honeypot, as on the contact form: hidden from people, so only bots fill it in.</param>
public sealed record PortalMessageRequest(string? Body, string? Website = null)
{
    public static readonly string[] FieldNames = ["body", "website"];

    public static PortalMessageRequest FromFields(IReadOnlyDictionary<string, string> fields) =>
        new(fields.GetValueOrDefault("body"), fields.GetValueOrDefault("website"));
}
