using ContactDesk.Attachments;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Notifications;
using ContactDesk.Operations;
using ContactDesk.Submissions;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContactDesk.Inbound;

/// <summary>
/// Turns one stored inbound email into what it means, in one transaction that also marks it done:
/// a bounce marks our email failed; a reply goes into its ticket's thread (reopening a resolved
/// ticket, or starting a follow-up for an archived one); anything else becomes a new ticket.
/// The row is marked only if it is still <c>received</c>, so two instances never both apply it.
/// </summary>
public sealed class InboundProcessor(
    AppDbContext db, InboundMatcher matcher, MailFiles mailFiles, SubmitterMessagePoster poster, TicketSubmitter submitter,
    IOptions<EmailOptions> options, TimeProvider clock, ContactDeskMetrics metrics, ILogger<InboundProcessor> log)
{
    /// <summary>Processes the row; a failure that is the message's fault marks it failed, a database outage is thrown (it stays to do).</summary>
    public async Task ProcessAsync(InboundEmail row, CancellationToken ct)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(new MemoryStream(row.Raw, writable: false), ct);
        }
        catch (FormatException e)
        {
            if (await FinishAsync(row.Id, InboundState.Failed, null, null, $"Not a MIME message: {e.Message}", ct))
            {
                metrics.InboundMessage(InboundState.Failed);
            }
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (state, ticketId, messageId, error) = await ApplyAsync(message, now, ct);
        if (await FinishAsync(row.Id, state, ticketId, messageId, error, ct))
        {
            await transaction.CommitAsync(ct);
            metrics.InboundMessage(state);
            log.LogInformation("Inbound email {Id} ({MessageId}): {State}, ticket {TicketId}.", row.Id, message.MessageId, state, ticketId);
        }
        else
        {
            await transaction.RollbackAsync(ct); // another instance got there first
        }
        db.ChangeTracker.Clear();
    }

    private async Task<(InboundState, Guid?, Guid?, string?)> ApplyAsync(MimeMessage message, DateTime now, CancellationToken ct)
    {
        if (Bounces.Read(message) is { } bounce)
        {
            var marked = await Bounces.ApplyAsync(db, bounce, now, ct);
            return (InboundState.Ignored, null, null, marked ? null : "A delivery report about no email of ours.");
        }
        if (MailReader.Read(message) is not { } mail)
        {
            return (InboundState.Failed, null, null, "The message names no sender (From).");
        }
        using var files = await mailFiles.StageAsync(mail.Files, ct);
        var body = MailFiles.WithNote(mail.Text, files.LeftOut);
        var match = await matcher.MatchAsync(mail, ct);
        if (match is { Archived: false })
        {
            var posted = await poster.PostAsync(new SubmitterMessage(match.TicketId, Body(body, files.Upload.Files.Count), MessageSource.Email)
            {
                Files = files.Upload.Files,
            }, ct);
            if (posted is SubmitterMessagePoster.Posted { Message: var added })
            {
                await RememberAsync(mail, match.TicketId, ct);
                return (InboundState.Processed, match.TicketId, added.Id, null);
            }
        }
        // A new ticket; for an archived (or deleted) ticket one that says what it follows up.
        var followUp = match?.TicketNumber;
        if (followUp is null && InboundMatcher.SubjectTicketNumber(mail.Subject) is { } number && await matcher.WasDeletedAsync(number, ct))
        {
            followUp = number; // a deleted ticket: its number is all that is left of it
        }
        var text = followUp is null ? body : $"(follow-up to {followUp})\n\n{body}";
        var submission = new Submission(Cut(mail.FromName, 255), Cut(mail.FromAddress, 254), Cut(mail.Subject, 255),
            Body(text, files.Upload.Files.Count), TicketCategory.General);
        var accepted = (TicketSubmitter.Accepted)await submitter.SubmitAsync(submission, null, null, ct, MessageSource.Email, files.Upload.Files);
        var ticketId = accepted.Ticket.Id;
        if (mail.Automatic || await OverAutoReplyLimitAsync(submission.Email, ticketId, now, ct))
        {
            await WithdrawConfirmationAsync(ticketId, ct);
        }
        await RememberAsync(mail, ticketId, ct);
        var first = await db.Messages.Where(m => m.TicketId == ticketId).OrderBy(m => m.CreatedAt).Select(m => m.Id).FirstAsync(ct);
        return (InboundState.Processed, ticketId, first, null);
    }

    /// <summary>The thread's limits: 1–50,000 characters (a file-only message may be empty).</summary>
    private static string Body(string text, int fileCount) =>
        Cut(text.Length == 0 && fileCount == 0 ? "(no text)" : text, MessageValidator.BodyMax);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>RFC 3834: more than the limit of confirmations to one address within an hour is a loop, not a person.</summary>
    private async Task<bool> OverAutoReplyLimitAsync(string address, Guid ticketId, DateTime now, CancellationToken ct)
    {
        var since = now.AddHours(-1);
        // The address as the sender writes it (the ticket keeps it so): an index lookup, not a scan.
        var sent = await db.OutboxEmails.CountAsync(e => e.ToAddress == address && e.CreatedAt >= since
            && e.Kind == EmailKind.Confirmation && e.TicketId != ticketId, ct);
        return sent >= options.Value.Inbound.AutoReplyLimitPerHour;
    }

    /// <summary>
    /// The submitter queues a confirmation with every new ticket; for mail a program sent it is taken
    /// back in the same transaction, before any dispatcher can see it.
    /// </summary>
    private async Task WithdrawConfirmationAsync(Guid ticketId, CancellationToken ct)
    {
        var ids = await db.OutboxEmails.Where(e => e.TicketId == ticketId && e.Kind == EmailKind.Confirmation).Select(e => e.MessageId).ToListAsync(ct);
        await db.ThreadEmailIds.Where(t => t.TicketId == ticketId && ids.Contains(t.MessageId)).ExecuteDeleteAsync(ct);
        await db.OutboxEmails.Where(e => e.TicketId == ticketId && e.Kind == EmailKind.Confirmation).ExecuteDeleteAsync(ct);
    }

    /// <summary>The message's own Message-ID joins the ticket's thread: a reply to it (or to a copy) finds the ticket.</summary>
    private async Task RememberAsync(ReadMail mail, Guid ticketId, CancellationToken ct)
    {
        if (mail.MessageId is { Length: <= 255 } id && !await db.ThreadEmailIds.AnyAsync(t => t.MessageId == id, ct))
        {
            db.ThreadEmailIds.Add(new ThreadEmailId { TicketId = ticketId, MessageId = id, Inbound = true, CreatedAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Marks the row, only if it is still to do; false when another instance finished it first.</summary>
    private async Task<bool> FinishAsync(Guid id, InboundState state, Guid? ticketId, Guid? messageId, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var done = await db.InboundEmails.Where(e => e.Id == id && e.State == InboundState.Received)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.State, state)
                .SetProperty(x => x.TicketId, ticketId)
                .SetProperty(x => x.TicketMessageId, messageId)
                .SetProperty(x => x.Error, error)
                .SetProperty(x => x.ProcessedAt, now)
                .SetProperty(x => x.LockedUntil, (DateTime?)null), ct);
        if (state == InboundState.Failed && done == 1)
        {
            log.LogWarning("Inbound email {Id} could not be ingested: {Error}", id, error);
        }
        return done == 1;
    }
}
