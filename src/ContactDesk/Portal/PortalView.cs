using ContactDesk.Audit;
using ContactDesk.Conversation;
using ContactDesk.Tickets;

namespace ContactDesk.Portal;

/// <summary>What the submitter sees of their ticket (contract §9): nothing about its handling inside.</summary>
public sealed record PortalView(PortalTicketOut Ticket, IReadOnlyList<PortalMessageOut> Messages);

public sealed record PortalTicketOut(string TicketNumber, string Subject, TicketStatus Status, DateTime CreatedAt);

/// <summary>
/// A public message (<c>customer</c> or <c>reply</c>): the contract's MessageOut without <c>from_email</c>,
/// so no staff address ever reaches the submitter.
/// </summary>
public sealed record PortalMessageOut(
    Guid Id, Guid TicketId, MessageKind Kind, ActorOut? Author, string Body, MessageSource Source,
    IReadOnlyList<AttachmentOut> Attachments, DateTime CreatedAt, MessageDelivery? Delivery)
{
    public static PortalMessageOut Of(MessageOut m) =>
        new(m.Id, m.TicketId, m.Kind, m.Author, m.Body, m.Source, m.Attachments, m.CreatedAt, m.Delivery);
}
