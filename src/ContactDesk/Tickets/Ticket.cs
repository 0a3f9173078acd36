using ContactDesk.Identity;

namespace ContactDesk.Tickets;

/// <summary>A contact-form submission and its moderation state.</summary>
public sealed class Ticket
{
    public Guid Id { get; set; }
    public required string TicketNumber { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public required string Subject { get; set; }
    public required string Message { get; set; }
    public TicketCategory Category { get; set; }
    public TicketStatus Status { get; set; }

    /// <summary>The status <c>restore</c> returns to; set only while archived.</summary>
    public TicketStatus? StatusBeforeArchive { get; set; }

    public Guid? UserId { get; set; }
    public Guid? AssignedToId { get; set; }
    public AppUser? AssignedTo { get; set; }
    public Guid? ResolvedById { get; set; }
    public AppUser? ResolvedBy { get; set; }
    public string? AdminNotes { get; set; }
    public string? ResolutionNotes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }

    /// <summary>Bumped on every update; the ETag and the optimistic-concurrency token.</summary>
    public int Version { get; set; }

    /// <summary>Lower-cased ticket number, name, email, subject and message: what <c>search</c> scans.</summary>
    public string SearchText { get; set; } = "";

    public static string BuildSearchText(string ticketNumber, string name, string email, string subject, string message) =>
        string.Join('\n', ticketNumber, name, email, subject, message).ToLowerInvariant();
}

public enum TicketStatus { Pending, InProgress, Resolved, Archived }

public enum TicketCategory { General, Bug, Feature, Abuse, Data, Account, Other }
