using ContactDesk.Identity;
using ContactDesk.Tickets;

namespace ContactDesk.CannedResponses;

/// <summary>A reply kept for reuse: a Liquid body, and optionally a status and tags applied with it.</summary>
public sealed class CannedResponse
{
    public Guid Id { get; set; }
    public required string Title { get; set; }

    /// <summary>The Liquid template; checked by <see cref="CannedTemplate"/> before it is saved.</summary>
    public required string Body { get; set; }

    /// <summary>Shared ones are seen by all staff and changed by admins; the others by their owner only.</summary>
    public bool Shared { get; set; }

    public Guid OwnerId { get; set; }
    public AppUser? Owner { get; set; }
    public TicketStatus? SetStatus { get; set; }

    /// <summary>Tags to add, sorted and space-separated like a ticket's.</summary>
    public string AddTags { get; set; } = "";

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
