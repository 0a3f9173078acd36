using ContactDesk.Attachments;
using ContactDesk.Data;
using ContactDesk.Moderation;
using ContactDesk.Notifications;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Conversation;

/// <summary>
/// A message from the submitter to an existing ticket, from the portal or an email reply. Validate
/// the body at the edge (<see cref="MessageValidator.Body"/>); files come staged.
/// </summary>
/// <param name="Body">The text as shown (an email's quoted history already removed); may be empty when files come with it.</param>
public sealed record SubmitterMessage(Guid TicketId, string Body, MessageSource Source)
{
    /// <summary>Staged files (see <see cref="MultipartUpload"/>); the caller disposes them afterwards.</summary>
    public IReadOnlyList<StagedFile> Files { get; init; } = [];
}

/// <summary>
/// Adds a submitter's message to a ticket's thread. The message, its files, the ticket's new state
/// (waiting on staff, a resolved ticket reopened), the history and the email telling the staff are
/// one transaction: all of it is there afterwards, or none of it.
/// </summary>
public sealed class SubmitterMessagePoster(
    AppDbContext db, TicketEditor editor, AttachmentStore store, EmailComposer composer, OutboxSignal signal, TimeProvider clock)
{
    public abstract record Result;
    public sealed record NotFound : Result;

    /// <summary>An archived ticket takes no more messages (an email reply then starts a new ticket, §8).</summary>
    public sealed record Archived : Result;
    public sealed record Posted(MessageOut Message, bool Reopened) : Result;

    public async Task<Result> PostAsync(SubmitterMessage message, CancellationToken ct)
    {
        // Who is told: the assignee, or every admin while nobody owns the ticket. Read before the
        // edit, whose action cannot wait on the database.
        var recipients = await RecipientsAsync(message.TicketId, ct);
        if (recipients is null)
        {
            return new NotFound();
        }
        var now = MessagePoster.Microseconds(clock.GetUtcNow().UtcDateTime);
        var messageId = Guid.CreateVersion7();
        var attachments = MessageAttachment.For(messageId, message.Files);
        TicketMessage? added = null;
        var reopened = false;

        // Joins the caller's transaction when there is one (an inbound email is marked done in it).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await store.SaveAsync(db, message.Files, now, ct);
        var edit = await editor.EditAsync(message.TicketId, ticket =>
        {
            if (ticket.Status == TicketStatus.Archived)
            {
                return new TicketActions.Refused("The ticket is archived.");
            }
            // Through the same rules as a moderator's change: the audit records "reopened".
            reopened = ticket.Status == TicketStatus.Resolved;
            if (reopened)
            {
                TicketActions.SetStatus(ticket, TicketStatus.Pending, me: null, now);
            }
            added = new TicketMessage
            {
                Id = messageId, TicketId = ticket.Id, Kind = MessageKind.Customer, Source = message.Source, AuthorId = null, AuthorName = null,
                FromEmail = ticket.Email, Body = message.Body, CreatedAt = now, Attachments = attachments,
            };
            db.Messages.Add(added);
            MessagePoster.Summarize(ticket, added);
            var files = attachments.Select(a => a.FileName).ToList();
            foreach (var (email, name) in recipients)
            {
                db.OutboxEmails.Add(composer.QueueMessageNotification(ticket, message.Body, files, email, name, now));
            }
            return new TicketActions.Changed();
        }, ifMatch: null, ct);
        switch (edit)
        {
            case TicketEditor.NotFound:
                return new NotFound();
            case TicketEditor.Refused:
                return new Archived();
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
        if (recipients.Count > 0)
        {
            signal.Notify();
        }
        return new Posted(new MessageOut(messageId, message.TicketId, MessageKind.Customer, null, added!.FromEmail, message.Body, message.Source,
            attachments.Select(ThreadReader.Out).ToList(), now, null), reopened);
    }

    /// <summary>The assignee's address, else every admin's; null when there is no such ticket.</summary>
    private async Task<List<(string Email, string Name)>?> RecipientsAsync(Guid ticketId, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId)
            .Select(t => new { Found = true, Email = t.AssignedTo == null ? null : t.AssignedTo.Email, Name = t.AssignedTo == null ? null : t.AssignedTo.Name })
            .SingleOrDefaultAsync(ct);
        if (ticket is null)
        {
            return null;
        }
        return ticket.Email is { } email ? [(email, ticket.Name ?? email)] : await TicketEmailInterceptor.AdminsAsync(db, ct);
    }
}
