using ContactDesk.Hosting;
using ContactDesk.Hosting.OpenApi;
using ContactDesk.Tickets;

namespace ContactDesk.Submissions;

/// <summary>The contact form as sent, by the JSON API or the HTML form: every field as text.</summary>
/// <param name="Website">The honeypot: a field forms hide from people, so only bots fill it in.</param>
/// <param name="KbVisitId">Optional: the contact-form visit that opened suggested articles (knowledge base), so it is not counted as answered.</param>
public sealed record SubmitRequest(string? Name, string? Email, string? Subject, string? Message,
    [property: OpenApiEnum(typeof(TicketCategory))] string? Category, string? Website = null,
    string? KbVisitId = null)
{
    public static readonly string[] FieldNames = ["name", "email", "subject", "message", "category", "website", "kb_visit_id"];

    public static SubmitRequest FromFields(IReadOnlyDictionary<string, string> fields) => new(
        fields.GetValueOrDefault("name"), fields.GetValueOrDefault("email"), fields.GetValueOrDefault("subject"),
        fields.GetValueOrDefault("message"), fields.GetValueOrDefault("category"), fields.GetValueOrDefault("website"),
        fields.GetValueOrDefault("kb_visit_id"));
}

/// <summary>A submission that passed validation: trimmed, within limits, category parsed.</summary>
public sealed record Submission(string Name, string Email, string Subject, string Message, TicketCategory Category);

/// <summary>The one validator of the contact form, shared by the API and the HTML form.</summary>
public static class SubmissionValidator
{
    public const int NameMax = 255, SubjectMax = 255, MessageMax = 20_000;

    /// <param name="account">The signed-in submitter's name and email, used where the form leaves them out.</param>
    public static Submission? Validate(SubmitRequest form, (string Name, string Email)? account, FieldErrors errors)
    {
        var name = errors.Text("name", string.IsNullOrWhiteSpace(form.Name) ? account?.Name : form.Name, NameMax);
        var email = errors.Email("email", string.IsNullOrWhiteSpace(form.Email) ? account?.Email : form.Email);
        var subject = errors.Text("subject", form.Subject, SubjectMax);
        var message = errors.Text("message", form.Message, MessageMax);

        var category = TicketCategory.General;
        if (!string.IsNullOrWhiteSpace(form.Category) && !WireNames.TryParse(form.Category, out category))
        {
            errors.Add("category", $"Must be one of: {WireNames.AllOf<TicketCategory>()}.");
        }
        return errors.Any ? null : new Submission(name, email, subject, message, category);
    }
}
