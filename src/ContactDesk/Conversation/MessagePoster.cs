using ContactDesk.Attachments;
using ContactDesk.CannedResponses;
using ContactDesk.Data;
using ContactDesk.Moderation;
using ContactDesk.Notifications;
using ContactDesk.Portal;
using ContactDesk.Tags;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Conversation;

/// <summary>
/// Adds a staff reply or note to a ticket's thread. The message, its files, the ticket's new state
/// (status, assignee, waiting_on, counts), the reply's email and the history are one transaction:
/// all of it is there afterwards, or none of it.
/// </summary>
public sealed class MessagePoster(
    AppDbContext db, TicketEditor editor, AttachmentStore store, EmailComposer composer, OutboxSignal signal, TimeProvider clock)
{
    public abstract record Result;
    public sealed record NotFound : Result;
    public sealed record Posted(MessageOut Message) : Result;
    /// <summary>The canned response named does not exist for the author (another's personal one, or deleted).</summary>
    public sealed record UnknownCannedResponse : Result;

    /// <summary>Posts <paramref name="message"/> as the staff member <paramref name="authorId"/>.</summary>
    /// <param name="files">Staged uploads (see <see cref="MultipartUpload"/>); the caller disposes them afterwards.</param>
    public async Task<Result> PostAsync(Guid ticketId, NewMessage message, IReadOnlyList<StagedFile> files, Guid authorId,
        MessageSource source, CancellationToken ct)
    {
        var author = await db.Users.AsNoTracking().Where(u => u.Id == authorId).Select(u => new { u.Name, u.Email }).SingleAsync(ct);
        CannedReply? canned = null;
        if (message.CannedResponseId is { } cannedId)
        {
            canned = await CannedReply.FindAsync(db, cannedId, authorId, ct);
            if (canned is null)
            {
                return new UnknownCannedResponse();
            }
        }
        var body = message.Body;
        var now = Microseconds(clock.GetUtcNow().UtcDateTime);
        var messageId = Guid.CreateVersion7();
        var attachments = MessageAttachment.For(messageId, files);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await store.SaveAsync(db, files, now, ct);
        var threadIds = message.Kind == MessageKind.Reply ? await TicketEmailInterceptor.ThreadIdsAsync(db, ticketId, ct) : [];

        // Through the ticket editor, as every ticket change: the status rules, the version check (a
        // concurrent change makes it read the ticket again and re-apply all of this), the audit.
        var edit = await editor.EditAsync(ticketId, ticket =>
        {
            // Made once per attempt (a retry starts from a cleared context): the canned text's
            // portal_url and the reply email share one link.
            string? portalUrl = null;
            string PortalUrl() => portalUrl ??= PortalLinks.Issue(db, composer.PublicBaseUrl, ticket.Id, now);
            body = canned is null ? message.Body : canned.AppendTo(message.Body, ticket, author.Name, PortalUrl);
            if ((message.Status ?? canned?.SetStatus) is { } status)
            {
                TicketActions.SetStatus(ticket, status, authorId, now);
            }
            if (canned is { AddTags.Count: > 0 })
            {
                TagActions.Add(ticket, canned.AddTags);
            }
            if (message.Kind == MessageKind.Reply && ticket.AssignedToId is null)
            {
                ticket.AssignedToId = authorId; // a reply to an unassigned ticket: the one who answered owns it
            }
            var added = new TicketMessage
            {
                Id = messageId, TicketId = ticketId, Kind = message.Kind, Source = source, AuthorId = authorId, AuthorName = author.Name,
                FromEmail = author.Email!, Body = body, CreatedAt = now, Attachments = attachments,
            };
            db.Messages.Add(added);
            Summarize(ticket, added);
            if (message.Kind == MessageKind.Reply)
            {
                QueueReplyEmail(ticket, added, author.Name, threadIds, PortalUrl(), now);
            }
            return new TicketActions.Changed();
        }, ifMatch: null, ct);
        if (edit is TicketEditor.NotFound)
        {
            return new NotFound();
        }
        await transaction.CommitAsync(ct);
        if (message.Kind == MessageKind.Reply)
        {
            signal.Notify();
        }
        var delivery = message.Kind == MessageKind.Reply ? MessageDelivery.Queued : (MessageDelivery?)null;
        return new Posted(new MessageOut(messageId, ticketId, message.Kind, new(authorId, author.Name), author.Email!, body, source,
            attachments.Select(ThreadReader.Out).ToList(), now, delivery));
    }

    /// <summary>The ticket's summary of its thread after <paramref name="message"/>.</summary>
    public static void Summarize(Ticket ticket, TicketMessage message)
    {
        ticket.MessageCount++;
        ticket.LastMessageAt = message.CreatedAt;
        if (message.Kind == MessageKind.Reply)
        {
            ticket.FirstResponseAt ??= message.CreatedAt;
            ticket.StaffSpokeLast = true;
        }
        else if (message.Kind == MessageKind.Customer)
        {
            ticket.StaffSpokeLast = false;
        }
        ticket.RefreshWaitingOn();
    }

    private void QueueReplyEmail(Ticket ticket, TicketMessage reply, string staffName, IReadOnlyList<string> threadIds, string portalUrl, DateTime now)
    {
        var content = new ReplyContent(reply.Id, reply.Body, staffName, portalUrl,
            reply.Attachments.Select(a => a.FileName).ToList());
        var email = composer.QueueReply(ticket, content, threadIds, now);
        db.OutboxEmails.Add(email);
        TicketEmailInterceptor.Remember(db, email);
    }

    /// <summary>Whole microseconds, what PostgreSQL keeps: the times answered equal those read back later.</summary>
    internal static DateTime Microseconds(DateTime time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));
}
