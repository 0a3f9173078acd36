using ContactDesk.Hosting;
using ContactDesk.Tickets;

namespace ContactDesk.Conversation;

/// <summary>A staff message as sent, by the JSON API, a multipart form or the ticket page: every field as text.</summary>
/// <param name="CannedResponseId">A canned response whose rendered text follows the body (which may then be empty).</param>
public sealed record MessageRequest(string? Kind, string? Body, string? Status = null, string? CannedResponseId = null)
{
    public static readonly string[] FieldNames = ["kind", "body", "status", "canned_response_id"];

    public static MessageRequest FromFields(IReadOnlyDictionary<string, string> fields) => new(
        fields.GetValueOrDefault("kind"), fields.GetValueOrDefault("body"),
        fields.GetValueOrDefault("status"), fields.GetValueOrDefault("canned_response_id"));
}

/// <summary>A valid staff message: a reply or a note, its text, the status to move the ticket to and a canned response to add.</summary>
public sealed record NewMessage(MessageKind Kind, string Body, TicketStatus? Status, Guid? CannedResponseId = null);

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
        Guid? canned = null;
        if (!string.IsNullOrWhiteSpace(request.CannedResponseId))
        {
            if (Guid.TryParse(request.CannedResponseId, out var id))
            {
                canned = id;
            }
            else
            {
                errors.Add("canned_response_id", "Must be the id of a canned response.");
            }
        }
        // With a canned response the text is its rendering; the caller's own body is optional.
        var body = Body(request.Body, fileCount + (canned is null ? 0 : 1), errors);

        var status = errors.OptionalEnum<TicketStatus>("status", request.Status);
        return errors.Any ? null : new NewMessage(kind, body, status, canned);
    }

    /// <summary>A message's text, staff's or the submitter's: 1–50,000 characters, or empty when files come with it.</summary>
    public static string Body(string? body, int fileCount, FieldErrors errors) => fileCount > 0
        ? errors.OptionalText("body", body, BodyMax) ?? ""
        : errors.Text("body", body, BodyMax);
}
