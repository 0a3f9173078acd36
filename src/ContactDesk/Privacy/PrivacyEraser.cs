using System.Security.Claims;
using ContactDesk.Attachments;
using ContactDesk.Audit;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Identity;
using ContactDesk.Notifications;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Privacy;

public sealed record EraseRequest(string? Email);

public sealed record EraseResult(int Tickets, int Messages, int Attachments);

/// <summary>What an erasure would do, shown before it is confirmed.</summary>
public sealed record ErasePreview(string Email, IReadOnlyList<string> TicketNumbers, int Messages, int Attachments, int InboundEmails, int UnsentEmails, int SentEmails);

/// <summary>
/// Erases an address (contract §12): its tickets stay as skeletons (number, category, status, dates)
/// and everything personal in and around them is removed or becomes <c>[erased]</c>, in one transaction.
/// Table by table: tickets and ticket_messages redacted; message_attachments deleted with the
/// attachment_blobs (and files) no other message uses; inbound_emails, portal_tokens,
/// idempotency_keys, webhook_deliveries and the thread's inbound Message-IDs deleted; unsent outbox_emails deleted and
/// sent ones redacted; audit_entries redacted plus one <c>erased</c> entry; PostgreSQL's
/// search_tokens pruned. Users, articles, suggestion visits (random ids), counters, tallies and keys
/// hold nothing of a submitter.
/// </summary>
public sealed class PrivacyEraser(AppDbContext db, AttachmentStore store, TimeProvider clock, ILogger<PrivacyEraser> log)
{
    /// <summary>The search text of an erased ticket after its number.</summary>
    private const string ErasedSearchTail = "\n" + PersonalData.Erased + "\n" + PersonalData.Erased + "\n" + PersonalData.Erased + "\n" + PersonalData.Erased;

    private const int Attempts = 3;

    public async Task<ErasePreview> PreviewAsync(string email, CancellationToken ct)
    {
        var address = PersonalData.Normalize(email);
        var tickets = await PersonalData.TicketsOf(db, address).Select(t => new { t.Id, t.TicketNumber }).ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var messages = await db.Messages.CountAsync(m => ids.Contains(m.TicketId), ct);
        var attachments = await AttachmentsOf(ids).CountAsync(ct);
        var inbound = (await PersonalData.InboundMailsAsync(db, address, ids, ct)).Count;
        var outbox = OutboxOf(ids, address);
        var unsent = await outbox.CountAsync(e => e.State != EmailState.Sent, ct);
        var sent = await outbox.CountAsync(e => e.State == EmailState.Sent && e.Subject != PersonalData.Erased, ct);
        return new ErasePreview(address, tickets.Select(t => t.TicketNumber).ToList(), messages, attachments, inbound, unsent, sent);
    }

    public async Task<EraseResult> EraseAsync(string email, ClaimsPrincipal? actor, CancellationToken ct)
    {
        var address = PersonalData.Normalize(email);
        for (var attempt = 1; ; attempt++)
        {
            var (result, orphans) = await TryEraseAsync(address, actor, ct);
            if (result is not null)
            {
                DeleteFiles(orphans);
                return result;
            }
            if (attempt == Attempts)
            {
                throw new InvalidOperationException("The tickets of this address kept changing during the erasure.");
            }
        }
    }

    /// <summary>Null when a ticket changed (another erasure) between reading and redacting it: nothing is kept, try again.</summary>
    private async Task<(EraseResult? Result, List<string> Orphans)> TryEraseAsync(string address, ClaimsPrincipal? actor, CancellationToken ct)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (db is SqliteAppDbContext)
            {
                // Freed and rewritten pages are zeroed, so the old text does not linger in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON", ct);
            }
            var tickets = await PersonalData.TicketsOf(db, address).AsNoTracking().ToListAsync(ct);
            var ids = tickets.Select(t => t.Id).ToList();

            // The conditional UPDATE first: of two erasures at once the second finds the rows changed.
            var redacted = await db.Tickets.Where(t => ids.Contains(t.Id) && t.Email.ToLower() == address).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Name, PersonalData.Erased)
                .SetProperty(t => t.Email, PersonalData.Erased)
                .SetProperty(t => t.Subject, PersonalData.Erased)
                .SetProperty(t => t.Message, PersonalData.Erased)
                .SetProperty(t => t.AdminNotes, t => t.AdminNotes == null ? null : PersonalData.Erased)
                .SetProperty(t => t.ResolutionNotes, t => t.ResolutionNotes == null ? null : PersonalData.Erased)
                .SetProperty(t => t.SearchText, t => t.TicketNumber.ToLower() + ErasedSearchTail)
                .SetProperty(t => t.Version, t => t.Version + 1), ct);
            if (redacted != ids.Count)
            {
                return (null, []);
            }

            var messages = await db.Messages.Where(m => ids.Contains(m.TicketId)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Body, PersonalData.Erased)
                .SetProperty(m => m.FromEmail, m => m.Kind == MessageKind.Customer ? PersonalData.Erased : m.FromEmail)
                .SetProperty(m => m.AuthorName, m => m.Kind == MessageKind.Customer && m.AuthorName != null ? PersonalData.Erased : m.AuthorName), ct);

            var hashes = await AttachmentsOf(ids).Select(a => a.Sha256).Distinct().ToListAsync(ct);
            var attachments = await AttachmentsOf(ids).ExecuteDeleteAsync(ct);
            var orphans = await db.AttachmentBlobs.Where(b => hashes.Contains(b.Sha256) && !db.MessageAttachments.Any(a => a.Sha256 == b.Sha256))
                .Select(b => b.Sha256).ToListAsync(ct);
            await db.AttachmentBlobs.Where(b => orphans.Contains(b.Sha256)).ExecuteDeleteAsync(ct);

            var inbound = await PersonalData.InboundMailsAsync(db, address, ids, ct);
            await db.InboundEmails.Where(e => inbound.Contains(e.Id)).ExecuteDeleteAsync(ct);
            // The service's own Message-IDs stay (a reply to an old email still finds its ticket); the sender's go.
            await db.ThreadEmailIds.Where(t => ids.Contains(t.TicketId) && t.Inbound).ExecuteDeleteAsync(ct);
            await db.PortalTokens.Where(p => ids.Contains(p.TicketId)).ExecuteDeleteAsync(ct);
            await db.IdempotencyKeys.Where(k => ids.Contains(k.TicketId)).ExecuteDeleteAsync(ct);
            // Webhook bodies carry the ticket and its messages: none is kept, and none still waiting is sent.
            await db.WebhookDeliveries.Where(d => ids.Contains(d.TicketId)).ExecuteDeleteAsync(ct);
            await EraseOutboxAsync(ids, address, ct);

            await RedactAuditAsync(tickets, address, ct);
            await PruneSearchTokensAsync(tickets, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var actorId = actor?.FindId();
            foreach (var ticket in tickets)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    TicketId = ticket.Id, TicketNumber = ticket.TicketNumber, At = now,
                    ActorId = actorId, ActorName = actorId is null ? null : actor!.FindName(),
                    Action = "erased", Changes = "{}",
                });
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            if (tickets.Count > 0)
            {
                log.LogInformation("Erased {Tickets} tickets, {Messages} messages and {Attachments} attachments of an address.", tickets.Count, messages, attachments);
            }
            return (new EraseResult(tickets.Count, messages, attachments), orphans);
        }
        finally
        {
            db.ChangeTracker.Clear();
            if (db is SqliteAppDbContext)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = OFF", CancellationToken.None);
            }
        }
    }

    private IQueryable<MessageAttachment> AttachmentsOf(List<Guid> ticketIds) =>
        db.MessageAttachments.Where(a => db.Messages.Any(m => m.Id == a.MessageId && ticketIds.Contains(m.TicketId)));

    private IQueryable<OutboxEmail> OutboxOf(List<Guid> ticketIds, string address) =>
        db.OutboxEmails.Where(e => ticketIds.Contains(e.TicketId) || e.ToAddress.ToLower() == address);

    /// <summary>Unsent emails are dropped; sent ones keep their dates and state but nothing they said or who they went to.</summary>
    private async Task EraseOutboxAsync(List<Guid> ids, string address, CancellationToken ct)
    {
        await OutboxOf(ids, address).Where(e => e.State != EmailState.Sent).ExecuteDeleteAsync(ct);
        await OutboxOf(ids, address).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Subject, PersonalData.Erased)
            .SetProperty(e => e.TextBody, PersonalData.Erased)
            .SetProperty(e => e.HtmlBody, PersonalData.Erased)
            .SetProperty(e => e.ToName, e => e.ToAddress.ToLower() == address ? PersonalData.Erased : e.ToName)
            .SetProperty(e => e.ToAddress, e => e.ToAddress.ToLower() == address ? PersonalData.Erased : e.ToAddress)
            .SetProperty(e => e.LastError, e => e.LastError == null ? null : PersonalData.Erased), ct);
    }

    /// <summary>The tickets' own trail, and any other entry naming the address (the trail of a ticket deleted earlier).</summary>
    private async Task RedactAuditAsync(List<Tickets.Ticket> tickets, string address, CancellationToken ct)
    {
        var ids = tickets.Select(t => t.Id).ToList();
        var pattern = "%" + AuditRedaction.JsonText(address).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var entries = await db.AuditEntries
            .Where(a => ids.Contains(a.TicketId) || EF.Functions.Like(a.Changes.ToLower(), pattern, "\\"))
            .ToListAsync(ct);
        var values = AuditRedaction.ValuesOf(tickets, address);
        foreach (var entry in entries)
        {
            entry.Changes = AuditRedaction.Redact(entry.Changes, values);
        }
    }

    /// <summary>
    /// PostgreSQL keeps every word of every ticket in <c>search_tokens</c> (SearchTokens migration);
    /// the erased tickets' words that no ticket holds any more are removed from it.
    /// </summary>
    private async Task PruneSearchTokensAsync(List<Tickets.Ticket> tickets, CancellationToken ct)
    {
        if (db is not PostgresAppDbContext || tickets.Count == 0)
        {
            return;
        }
        var tokens = tickets.SelectMany(t => t.SearchText.Split([' ', '\t', '\n', '\r', '\f', '\v'], StringSplitOptions.RemoveEmptyEntries))
            .Distinct().ToArray();
        await db.Database.ExecuteSqlRawAsync("""
            DELETE FROM search_tokens s WHERE s.token = ANY({0})
            AND NOT EXISTS (SELECT 1 FROM tickets t WHERE ticket_text_tokens(t.search_text) @> ARRAY[s.token])
            """, [tokens], ct);
    }

    private void DeleteFiles(List<string> orphans)
    {
        foreach (var sha256 in orphans)
        {
            try
            {
                store.DeleteFile(sha256);
            }
            catch (IOException e)
            {
                log.LogWarning(e, "The file of an erased attachment ({Sha256}) could not be deleted.", sha256);
            }
        }
    }
}
