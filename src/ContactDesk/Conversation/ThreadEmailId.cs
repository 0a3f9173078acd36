namespace ContactDesk.Conversation;

/// <summary>
/// A Message-ID this service sent (or, later, received) about a ticket. The reply emails name the
/// earlier ones in In-Reply-To/References, and inbound mail is matched to its ticket by them.
/// </summary>
public sealed class ThreadEmailId
{
    public long Id { get; set; }
    public Guid TicketId { get; set; }

    /// <summary>Without angle brackets, as MimeKit and the outbox keep it: <c>…@host</c>.</summary>
    public required string MessageId { get; set; }

    public bool Inbound { get; set; }
    public DateTime CreatedAt { get; set; }
}
