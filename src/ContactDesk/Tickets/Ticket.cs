using ContactDesk.Identity;

namespace ContactDesk.Tickets;

/// <summary>A contact-form submission and its moderation state.</summary>
public sealed partial class Ticket
{
    public Guid Id { get; set; }
    public required string TicketNumber { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public required string Subject { get; set; }
    public required string Message { get; set; }
    public TicketCategory Category { get; set; }
    public TicketStatus Status { get; set; }

    /// <summary>How soon it needs an answer; stored as its number so that <c>-priority</c> orders urgent first.</summary>
    public TicketPriority Priority { get; set; } = TicketPriority.Normal;

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

    /// <summary>Who is to write next: the staff after a submitter's message, the submitter after a reply; null once closed.</summary>
    public WaitingOn? WaitingOn { get; set; }

    /// <summary>True when the thread's last public message (customer or reply) is a staff reply.</summary>
    public bool StaffSpokeLast { get; set; }

    /// <summary>Every message of the thread, notes included.</summary>
    public int MessageCount { get; set; }

    /// <summary>When the first staff reply was written.</summary>
    public DateTime? FirstResponseAt { get; set; }

    public DateTime? LastMessageAt { get; set; }

    /// <summary>Bumped on every update; the ETag and the optimistic-concurrency token.</summary>
    public int Version { get; set; }

    /// <summary>Lower-cased ticket number, name, email, subject and message: what <c>search</c> scans.</summary>
    public string SearchText { get; set; } = "";

    /// <summary>The ticket's tags, sorted and space-separated (see <see cref="ContactDesk.Tags.TagNames"/>).</summary>
    public string Tags { get; set; } = "";

    /// <summary>
    /// Works <see cref="WaitingOn"/> out from the status and who spoke last: called after every
    /// message and status change, so a reopened or restored ticket waits on whoever it waited on before.
    /// </summary>
    public void RefreshWaitingOn() =>
        WaitingOn = Status is TicketStatus.Resolved or TicketStatus.Archived ? null
            : StaffSpokeLast ? Tickets.WaitingOn.Submitter : Tickets.WaitingOn.Staff;

    public static string BuildSearchText(string ticketNumber, string name, string email, string subject, string message) =>
        string.Join('\n', ticketNumber, name, email, subject, message).ToLowerInvariant();
}

public enum TicketStatus { Pending, InProgress, Resolved, Archived }

/// <summary>Numbered in order of urgency: the database sorts by the number.</summary>
public enum TicketPriority { Low = 0, Normal = 1, High = 2, Urgent = 3 }

public enum WaitingOn { Staff, Submitter }

public enum TicketCategory { General, Bug, Feature, Abuse, Data, Account, Other }
