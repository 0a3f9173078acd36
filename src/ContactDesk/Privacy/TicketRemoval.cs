using ContactDesk.Attachments;
using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Privacy;

/// <summary>
/// Deletes a ticket as the moderation API's delete does (the audit trail records it; messages,
/// attachments, portal links and thread ids go with it by cascade), and with it what would otherwise
/// outlive it: its raw inbound mails, its outbox emails, idempotency keys and file contents no other
/// message uses.
/// </summary>
public sealed class TicketRemoval(AppDbContext db, AttachmentStore store, ILogger<TicketRemoval> log)
{
    /// <summary>False when the ticket is gone, no longer <paramref name="due"/>, or was changed by someone else meanwhile.</summary>
    public async Task<bool> DeleteAsync(Guid id, Func<Ticket, bool> due, CancellationToken ct)
    {
        List<string> orphans;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == id, ct);
            if (ticket is null || !due(ticket))
            {
                return false;
            }
            var hashes = await db.MessageAttachments.Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.TicketId == id))
                .Select(a => a.Sha256).Distinct().ToListAsync(ct);
            db.Tickets.Remove(ticket);
            try
            {
                await db.SaveChangesAsync(ct); // the version in the DELETE's WHERE: of two instances, one deletes
            }
            catch (DbUpdateConcurrencyException)
            {
                return false;
            }
            await db.InboundEmails.Where(e => e.TicketId == id).ExecuteDeleteAsync(ct);
            await db.OutboxEmails.Where(e => e.TicketId == id).ExecuteDeleteAsync(ct);
            await db.IdempotencyKeys.Where(k => k.TicketId == id).ExecuteDeleteAsync(ct);
            await db.WebhookDeliveries.Where(d => d.TicketId == id).ExecuteDeleteAsync(ct);
            orphans = await db.AttachmentBlobs.Where(b => hashes.Contains(b.Sha256) && !db.MessageAttachments.Any(a => a.Sha256 == b.Sha256))
                .Select(b => b.Sha256).ToListAsync(ct);
            await db.AttachmentBlobs.Where(b => orphans.Contains(b.Sha256)).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        foreach (var sha256 in orphans)
        {
            try
            {
                store.DeleteFile(sha256);
            }
            catch (IOException e)
            {
                log.LogWarning(e, "The file of a deleted attachment ({Sha256}) could not be deleted.", sha256);
            }
        }
        return true;
    }
}
