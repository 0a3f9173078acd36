using ContactDesk.Audit;
using ContactDesk.Data;
using ContactDesk.Notifications;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Conversation;

/// <summary>Reads a ticket's thread, oldest first, with each message's files and each reply's email state.</summary>
public sealed class ThreadReader(AppDbContext db)
{
    /// <summary>The thread; null when no ticket has this id.</summary>
    /// <param name="publicOnly">Leave out internal notes (what the submitter may see).</param>
    public async Task<List<MessageOut>?> ReadAsync(Guid ticketId, bool publicOnly, CancellationToken ct)
    {
        var messages = db.Messages.AsNoTracking().Where(m => m.TicketId == ticketId);
        if (publicOnly)
        {
            messages = messages.Where(m => m.Kind != MessageKind.Note);
        }
        var rows = await messages
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new
            {
                Message = m,
                Files = m.Attachments.OrderBy(a => a.Position).ToList(),
                Delivery = db.OutboxEmails.Where(e => e.TicketMessageId == m.Id).Select(e => (EmailState?)e.State).FirstOrDefault(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        if (rows.Count == 0 && !await db.Tickets.AnyAsync(t => t.Id == ticketId, ct))
        {
            return null;
        }
        return rows.Select(r => new MessageOut(
            r.Message.Id, r.Message.TicketId, r.Message.Kind,
            r.Message.AuthorId is { } id ? new ActorOut(id, r.Message.AuthorName) : null,
            r.Message.FromEmail, r.Message.Body, r.Message.Source,
            r.Files.Select(Out).ToList(), r.Message.CreatedAt,
            r.Message.Kind == MessageKind.Reply ? DeliveryOf(r.Delivery) : null)).ToList();
    }

    public static AttachmentOut Out(MessageAttachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256);

    private static MessageDelivery? DeliveryOf(EmailState? state) => state switch
    {
        EmailState.Sent => MessageDelivery.Sent,
        EmailState.Failed => MessageDelivery.Failed,
        EmailState.Pending => MessageDelivery.Queued,
        _ => null,
    };
}
