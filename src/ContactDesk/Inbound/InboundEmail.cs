namespace ContactDesk.Inbound;

/// <summary>
/// One message received by email, stored as it came before anything else is done with it: the
/// unique <see cref="Key"/> makes every source idempotent, and a row left <c>received</c> (a crash
/// before processing) is picked up again by <see cref="InboundProcessor"/>.
/// </summary>
public sealed class InboundEmail
{
    public Guid Id { get; set; }

    /// <summary><c>mid:</c> + the Message-ID, or <c>sha256:</c> + the hash of the bytes when it has none. Unique.</summary>
    public required string Key { get; set; }

    /// <summary>The message exactly as received (admins read it at <c>/api/v1/contact/messages/{id}/raw</c>).</summary>
    public required byte[] Raw { get; set; }

    public InboundSource Source { get; set; }
    public InboundState State { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }

    /// <summary>While an instance processes it; once past, another instance may take it.</summary>
    public DateTime? LockedUntil { get; set; }

    public string? Error { get; set; }

    /// <summary>The ticket it went to (created or matched) and the thread message it became.</summary>
    public Guid? TicketId { get; set; }
    public Guid? TicketMessageId { get; set; }
}

public enum InboundSource { Imap, Http, Folder }

/// <summary>received → processed (a message or ticket), ignored (a bounce, nothing to add) or failed (kept for admins).</summary>
public enum InboundState { Received, Processed, Ignored, Failed }

/// <summary>Where an IMAP folder was read up to: messages with a greater UID are new (while UIDVALIDITY holds).</summary>
public sealed class InboundMailbox
{
    /// <summary><c>username@host/folder</c>.</summary>
    public required string Name { get; set; }
    public long UidValidity { get; set; }
    public long LastUid { get; set; }
}
