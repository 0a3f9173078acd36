using System.Text.Json;
using ContactDesk.Hosting;
using ContactDesk.Tickets;

namespace ContactDesk.Moderation;

/// <summary>The PATCH body as the OpenAPI document shows it (every field optional); <see cref="TicketPatch"/> reads it.</summary>
public sealed class TicketPatchBody
{
    public TicketStatus? Status { get; init; }

    public TicketCategory? Category { get; init; }

    public TicketPriority? Priority { get; init; }

    public string? AdminNotes { get; init; }

    /// <summary>A moderator's or admin's id; <c>null</c> unassigns, leaving it out keeps the assignee.</summary>
    [System.ComponentModel.Description("A moderator's or admin's id; null unassigns, leaving it out keeps the assignee.")]
    public Guid? AssignedToId { get; init; }
}

/// <summary>
/// A PATCH body. Read from raw JSON because "absent" and "null" differ: <c>assigned_to_id: null</c>
/// unassigns, a missing <c>assigned_to_id</c> leaves the assignee alone.
/// </summary>
public sealed record TicketPatch(
    TicketStatus? Status,
    TicketCategory? Category,
    Optional<string?> AdminNotes,
    Optional<Guid?> AssignedToId,
    TicketPriority? Priority = null)
{
    public const int NotesMax = 20_000;

    private static readonly string[] Fields = ["status", "category", "priority", "admin_notes", "assigned_to_id"];

    public static TicketPatch? Parse(JsonElement body, FieldErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", $"Send a JSON object with any of: {string.Join(", ", Fields)}.");
            return null;
        }
        // A JsonElement checks the JSON's shape but not that its text is UTF-8 (reading it would throw
        // later, a 500): refuse such a body whole, as the typed bodies are refused.
        if (!IsText(body))
        {
            errors.Add("body", "The body is not valid UTF-8 text.");
            return null;
        }
        // As for every other body (UnmappedMemberHandling.Disallow): a field PATCH does not change
        // (resolution_notes, user_id, a misspelling) is refused rather than silently ignored.
        foreach (var property in body.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            errors.Add(property.Name, $"Not a field that PATCH changes; send any of: {string.Join(", ", Fields)}.");
        }
        TicketStatus? status = null;
        TicketCategory? category = null;
        TicketPriority? priority = null;
        Optional<string?> notes = default;
        Optional<Guid?> assignee = default;

        if (body.TryGetProperty("status", out var s))
        {
            status = EnumOf<TicketStatus>("status", s, errors);
        }
        if (body.TryGetProperty("category", out var c))
        {
            category = EnumOf<TicketCategory>("category", c, errors);
        }
        if (body.TryGetProperty("priority", out var pr))
        {
            priority = EnumOf<TicketPriority>("priority", pr, errors);
        }
        if (body.TryGetProperty("admin_notes", out var n))
        {
            if (n.ValueKind == JsonValueKind.Null)
            {
                notes = new(null);
            }
            else if (n.ValueKind != JsonValueKind.String)
            {
                errors.Add("admin_notes", "Must be a string or null.");
            }
            else
            {
                notes = new(errors.OptionalText("admin_notes", n.GetString(), NotesMax));
            }
        }
        if (body.TryGetProperty("assigned_to_id", out var a))
        {
            if (a.ValueKind == JsonValueKind.Null)
            {
                assignee = new(null);
            }
            else if (a.ValueKind == JsonValueKind.String && Guid.TryParse(a.GetString(), out var id))
            {
                assignee = new(id);
            }
            else
            {
                errors.Add("assigned_to_id", "Must be a user id or null.");
            }
        }
        return errors.Any ? null : new TicketPatch(status, category, notes, assignee, priority);
    }

    /// <summary>True when every property name and string value decodes (no invalid UTF-8, no lone surrogate escape).</summary>
    private static bool IsText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(p => p.Name is not null && IsText(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(IsText),
                JsonValueKind.String => element.GetString() is not null,
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public TicketActions.Outcome ApplyTo(Ticket ticket, Guid me, DateTime now)
    {
        if (Category is { } category)
        {
            ticket.Category = category;
        }
        if (Priority is { } priority)
        {
            ticket.Priority = priority;
        }
        if (AdminNotes.IsSet)
        {
            ticket.AdminNotes = AdminNotes.Value;
        }
        if (AssignedToId.IsSet)
        {
            ticket.AssignedToId = AssignedToId.Value;
        }
        if (Status is { } status)
        {
            TicketActions.SetStatus(ticket, status, me, now);
        }
        return new TicketActions.Changed();
    }

    private static TEnum? EnumOf<TEnum>(string field, JsonElement value, FieldErrors errors) where TEnum : struct, Enum
    {
        if (value.ValueKind == JsonValueKind.String && WireNames.TryParse<TEnum>(value.GetString(), out var parsed))
        {
            return parsed;
        }
        errors.Add(field, $"Must be one of: {WireNames.AllOf<TEnum>()}.");
        return null;
    }
}

/// <summary>A value that may be absent, as distinct from present and null.</summary>
public readonly record struct Optional<T>(T Value)
{
    public bool IsSet { get; } = true;
}
