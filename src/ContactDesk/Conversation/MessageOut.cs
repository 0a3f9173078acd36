using ContactDesk.Audit;

namespace ContactDesk.Conversation;

/// <summary>The contract's <c>MessageOut</c>.</summary>
/// <param name="Author">The staff member who wrote it; null for the submitter.</param>
/// <param name="Delivery">The state of a reply's email; null for the other kinds.</param>
public sealed record MessageOut(
    Guid Id,
    Guid TicketId,
    MessageKind Kind,
    ActorOut? Author,
    string FromEmail,
    string Body,
    MessageSource Source,
    IReadOnlyList<AttachmentOut> Attachments,
    DateTime CreatedAt,
    MessageDelivery? Delivery);

public sealed record AttachmentOut(Guid Id, string Filename, string ContentType, long Size, string Sha256);

public enum MessageDelivery { Queued, Sent, Failed }
