using ContactDesk.Hosting;
using ContactDesk.Moderation;
using ContactDesk.Tags;
using ContactDesk.Tickets;

namespace ContactDesk.CannedResponses;

/// <summary>
/// A canned response as sent, by the API (JSON) or the admin page (a form): every field optional so that
/// PATCH changes only what it names. <c>set_status: null</c> clears the status, where leaving it out keeps it.
/// </summary>
public sealed record CannedResponseInput(
    string? Title = null,
    string? Body = null,
    bool? Shared = null,
    Optional<string?> SetStatus = default,
    IReadOnlyList<string?>? AddTags = null)
{
    public const int TitleMax = 200, BodyMax = 20_000;

    /// <summary>The valid change, or null with field errors. <paramref name="creating"/>: title and body are required.</summary>
    public CannedResponseChange? Validate(bool creating, FieldErrors errors)
    {
        var title = Title is null && !creating ? null : errors.Text("title", Title, TitleMax);
        var body = Body is null && !creating ? null : errors.Text("body", Body, BodyMax);
        CannedTemplate? template = null;
        if (body is not null && !errors.Any)
        {
            template = CannedTemplate.Parse(body, out var error);
            if (error is not null)
            {
                errors.Add("body", error);
            }
        }
        Optional<TicketStatus?> status = default;
        if (SetStatus.IsSet)
        {
            status = new(string.IsNullOrEmpty(SetStatus.Value) ? null : errors.OptionalEnum<TicketStatus>("set_status", SetStatus.Value));
        }
        var tags = AddTags is null ? null : TagNames.NormalizeAll("add_tags", AddTags, errors);
        return errors.Any ? null : new CannedResponseChange(title, body, Shared, status, tags is null ? null : TagNames.Join(tags));
    }
}

/// <summary>A valid change; null fields stay as they are.</summary>
public sealed record CannedResponseChange(string? Title, string? Body, bool? Shared, Optional<TicketStatus?> SetStatus, string? AddTags)
{
    public void ApplyTo(CannedResponse canned)
    {
        canned.Title = Title ?? canned.Title;
        canned.Body = Body ?? canned.Body;
        canned.Shared = Shared ?? canned.Shared;
        if (SetStatus.IsSet)
        {
            canned.SetStatus = SetStatus.Value;
        }
        canned.AddTags = AddTags ?? canned.AddTags;
    }
}
