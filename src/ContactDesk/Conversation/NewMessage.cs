using ContactDesk.Hosting;
using ContactDesk.Tickets;

namespace ContactDesk.Conversation;

/// <summary>A staff message as sent, by the JSON API, a multipart form or the ticket page: every field as text.</summary>
/// <param name="CannedResponseId">Reserved for canned responses (triage); any value is refused until they exist.</param>
public sealed record MessageRequest(string? Kind, string? Body, string? Status = null, string? CannedResponseId = null)
{
    public static readonly string[] FieldNames = ["kind", "body", "status", "canned_response_id"];

    public static MessageRequest FromFields(IReadOnlyDictionary<string, string> fields) => new(
        fields.GetValueOrDefault("kind"), fields.GetValueOrDefault("body"),
        fields.GetValueOrDefault("status"), fields.GetValueOrDefault("canned_response_id"));
}

/// <summary>A valid staff message: a reply or a note, its text, and the status to move the ticket to.</summary>
public sealed record NewMessage(MessageKind Kind, string Body, TicketStatus? Status);

/// <summary>The one validator of a staff message, shared by the API and the ticket page.</summary>
public static class MessageValidator
{
    public const int BodyMax = 50_000;

    /// <param name="fileCount">Files that come with it: the body may then be empty.</param>
    public static NewMessage? Validate(MessageRequest request, int fileCount, FieldErrors errors)
    {
        var kind = MessageKind.Reply;
        if (!WireNames.TryParse(request.Kind, out kind) || kind == MessageKind.Customer)
        {
            errors.Add("kind", "Must be one of: reply, note.");
        }
        var body = Body(request.Body, fileCount, errors);

        var status = errors.OptionalEnum<TicketStatus>("status", request.Status);
        if (!string.IsNullOrEmpty(request.CannedResponseId))
        {
            errors.Add("canned_response_id", "Unknown canned response.");
        }
        return errors.Any ? null : new NewMessage(kind, body, status);
    }

    /// <summary>A message's text, staff's or the submitter's: 1–50,000 characters, or empty when files come with it.</summary>
    public static string Body(string? body, int fileCount, FieldErrors errors) => fileCount > 0
        ? errors.OptionalText("body", body, BodyMax) ?? ""
        : errors.Text("body", body, BodyMax);
}
