using System.Linq.Expressions;
using ContactDesk.Sla;

namespace ContactDesk.Tickets;

/// <summary>The contract's <c>ContactSubmissionOut</c>.</summary>
public sealed record TicketOut(
    Guid Id,
    string TicketNumber,
    string Name,
    string Email,
    string Subject,
    string Message,
    TicketCategory Category,
    TicketStatus Status,
    Guid? UserId,
    UserRef? AssignedTo,
    UserRef? ResolvedBy,
    string? AdminNotes,
    string? ResolutionNotes,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? ResolvedAt)
{
    public TicketPriority Priority { get; init; } = TicketPriority.Normal;

    /// <summary>Who the ticket waits on: staff after the submitter wrote, the submitter after a reply; null when closed.</summary>
    public WaitingOn? WaitingOn { get; init; }

    /// <summary>Messages in the thread, notes included.</summary>
    public int MessageCount { get; init; }

    public DateTime? FirstResponseAt { get; init; }

    /// <summary>Deadlines and state under the SLA policy; null while the policy is off.</summary>
    public SlaOut? Sla { get; init; }
    public DateTime? LastMessageAt { get; init; }

    /// <summary>The tags, sorted.</summary>
    public IReadOnlyList<string> Tags => ContactDesk.Tags.TagNames.Split(TagText);

    /// <summary>The tags as the ticket keeps them; <see cref="Tags"/> is what the JSON shows.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string TagText { get; init; } = "";

    /// <summary>Version for the ETag; not part of the JSON body.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Version { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string ETag => $"\"{Version}\"";

    /// <summary>Server-side projection: one query with the two user joins.</summary>
    public static readonly Expression<Func<Ticket, TicketOut>> Projection = t => new TicketOut(
        t.Id, t.TicketNumber, t.Name, t.Email, t.Subject, t.Message, t.Category, t.Status, t.UserId,
        t.AssignedTo == null ? null : new UserRef(t.AssignedTo.Id, t.AssignedTo.Name, t.AssignedTo.Email!),
        t.ResolvedBy == null ? null : new UserRef(t.ResolvedBy.Id, t.ResolvedBy.Name, t.ResolvedBy.Email!),
        t.AdminNotes, t.ResolutionNotes, t.CreatedAt, t.UpdatedAt, t.ResolvedAt)
    {
        Version = t.Version, Priority = t.Priority, WaitingOn = t.WaitingOn, MessageCount = t.MessageCount,
        FirstResponseAt = t.FirstResponseAt, LastMessageAt = t.LastMessageAt, TagText = t.Tags,
        Sla = t.SlaResolutionDueAt == null ? null
            : new SlaOut(t.SlaFirstResponseDueAt, t.SlaResolutionDueAt, t.SlaState, t.WaitingOn == Tickets.WaitingOn.Submitter),
    };

    private static readonly Func<Ticket, TicketOut> FromEntity = Projection.Compile();

    /// <summary>
    /// A ticket in memory, e.g. just created: the same projection run on the entity, so the API shows
    /// the same fields whichever way a ticket is read. Users come from loaded navigations (none on a new ticket).
    /// </summary>
    public static TicketOut FromNew(Ticket t) => FromEntity(t);
}

public sealed record UserRef(Guid Id, string Name, string Email);
