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
/// Turns a stored inbound email into what it means, in a transaction that also marks it done (one
/// email at a time, or a batch of them together, <see cref="ProcessAllAsync"/>):
/// a bounce marks our email failed; a reply goes into its ticket's thread (reopening a resolved
/// ticket, or starting a follow-up for an archived one); anything else becomes a new ticket.
/// The row is marked only if it is still <c>received</c>, so two instances never both apply it.
/// </summary>
public sealed class InboundProcessor(
    AppDbContext db, InboundMatcher matcher, MailFiles mailFiles, SubmitterMessagePoster poster, TicketSubmitter submitter,
    IOptions<EmailOptions> options, OutboxSignal outbox, TimeProvider clock, ContactDeskMetrics metrics, ILogger<InboundProcessor> log)
{
    /// <summary>What became of one email: its row's new state, the ticket and thread message it went to, or why not.</summary>
    private sealed record Outcome(InboundState State, Guid? TicketId, Guid? MessageId, string? Error, string? MailMessageId);

    /// <summary>At most this many bytes of stored mail in memory at once while a batch is processed (a larger message alone).</summary>
    private const long BatchBytes = 16 * 1024 * 1024;

    /// <summary>Processes the row; a failure that is the message's fault marks it failed, a database outage is thrown (it stays to do).</summary>
    public async Task ProcessAsync(InboundEmail row, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        Outcome outcome;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            outcome = await ApplyAsync(row.Raw, ct);
            if (!await FinishAsync(row.Id, outcome, ct))
            {
                await transaction.RollbackAsync(ct); // another instance got there first
                return;
            }
            await transaction.CommitAsync(ct);
        }
        outbox.Notify(); // the emails it queued are committed now
        Done(row.Id, outcome);
    }

    /// <summary>
    /// How long one transaction of <see cref="ProcessAllAsync"/> may hold its locks (the day's ticket
    /// counter, SQLite's one writer) before it commits: a form submitted meanwhile waits at most this.
    /// </summary>
    private static readonly TimeSpan MaxHold = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Processes claimed rows together in one transaction, oldest first, each seeing what those
    /// before it did (a reply that came with the mail it answers finds that mail's ticket), and marks
    /// them done in it: one commit for many emails instead of one each. All or nothing: after an
    /// exception nothing of it stays, and the caller takes the rows one at a time, where one
    /// message's fault is its own. Rows no longer <c>received</c> (done by another instance) are left.
    /// Commits after <see cref="MaxHold"/>; returns the rows it did not reach, still to do.
    /// </summary>
    public async Task<List<Guid>> ProcessAllAsync(IReadOnlyList<Guid> ids, DateTime leaseUntil, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        List<(Guid Id, Outcome Outcome)> finished;
        List<Guid> left;
        // All or nothing anyway: no savepoint around each SaveChanges (a round trip each way). A
        // conflict that an edit would retry fails the batch instead, and the one-at-a-time path retries it.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            (finished, left) = await ApplyAllAsync(ids, leaseUntil, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true; // the context goes back to the pool
        }
        // The emails queued in the transaction (confirmations, notifications) are there now; the
        // dispatcher woken while saving them may have looked before the commit.
        outbox.Notify();
        foreach (var (id, outcome) in finished)
        {
            Done(id, outcome);
        }
        return left;
    }

    /// <summary>The body of <see cref="ProcessAllAsync"/>'s transaction: the rows it finished (marked) and those left.</summary>
    private async Task<(List<(Guid Id, Outcome Outcome)> Finished, List<Guid> Left)> ApplyAllAsync(
        IReadOnlyList<Guid> ids, DateTime leaseUntil, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var finished = new List<(Guid Id, Outcome Outcome)>();
        var left = new List<Guid>();
        // Written to, so locked until the commit (PostgreSQL): another instance whose lease on
        // them ran out waits, then finds them done.
        var claimed = ids.ToList();
        await db.InboundEmails.Where(e => claimed.Contains(e.Id) && e.State == InboundState.Received)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.LockedUntil, leaseUntil), ct);
        var rows = await db.InboundEmails.AsNoTracking().Where(e => claimed.Contains(e.Id) && e.State == InboundState.Received)
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id).Select(e => new { e.Id, Size = (long)e.Raw.Length }).ToListAsync(ct);
        var raws = new Dictionary<Guid, byte[]>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0 && started.Elapsed > MaxHold)
            {
                left.AddRange(rows.Skip(i).Select(r => r.Id));
                break;
            }
            if (!raws.Remove(rows[i].Id, out var raw))
            {
                // The next messages, as many as fit in BatchBytes: not a whole batch of large mail in memory.
                var next = new List<Guid>();
                long bytes = 0;
                for (var j = i; j < rows.Count && (next.Count == 0 || bytes + rows[j].Size <= BatchBytes); j++)
                {
                    next.Add(rows[j].Id);
                    bytes += rows[j].Size;
                }
                raws = await db.InboundEmails.AsNoTracking().Where(e => next.Contains(e.Id)).Select(e => new { e.Id, e.Raw })
                    .ToDictionaryAsync(e => e.Id, e => e.Raw, ct);
                raws.Remove(rows[i].Id, out raw);
            }
            finished.Add((rows[i].Id, await ApplyAsync(raw!, ct)));
        }
        // Every row marked in one batch of updates; they are locked (or the database is, SQLite), so each is still to do.
        foreach (var (id, outcome) in finished)
        {
            Mark(id, outcome);
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return (finished, left);
    }

    /// <summary>Parses and applies one message; a message that is not MIME is an outcome (failed), not an exception.</summary>
    private async Task<Outcome> ApplyAsync(byte[] raw, CancellationToken ct)
    {
        MimeMessage message;
        try
        {
            // In memory already: the synchronous parser, without a task per read.
            message = MimeMessage.Load(new MemoryStream(raw, writable: false), ct);
        }
        catch (FormatException e)
        {
            return new Outcome(InboundState.Failed, null, null, $"Not a MIME message: {e.Message}", null);
        }
        db.ChangeTracker.Clear();
        var (state, ticketId, messageId, error) = await ApplyAsync(message, clock.GetUtcNow().UtcDateTime, ct);
        db.ChangeTracker.Clear();
        return new Outcome(state, ticketId, messageId, error, message.MessageId);
    }

    /// <summary>After the commit: counted and logged.</summary>
    private void Done(Guid id, Outcome outcome)
    {
        metrics.InboundMessage(outcome.State);
        if (outcome.State == InboundState.Failed)
        {
            log.LogWarning("Inbound email {Id} could not be ingested: {Error}", id, outcome.Error);
        }
        else
        {
            log.LogInformation("Inbound email {Id} ({MessageId}): {State}, ticket {TicketId}.", id, outcome.MailMessageId, outcome.State, outcome.TicketId);
        }
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
        return (InboundState.Processed, ticketId, accepted.MessageId, null);
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
    /// <remarks>One statement: an ID already known (a copy of a mail that went to another ticket) stays where it is.</remarks>
    private async Task RememberAsync(ReadMail mail, Guid ticketId, CancellationToken ct)
    {
        if (mail.MessageId is { Length: <= 255 } id)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO thread_email_ids (ticket_id, message_id, inbound, created_at)
                VALUES ({ticketId}, {id}, {true}, {now})
                ON CONFLICT (message_id) DO NOTHING
                """, ct);
        }
    }

    /// <summary>Marks the row, only if it is still to do; false when another instance finished it first.</summary>
    private async Task<bool> FinishAsync(Guid id, Outcome outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var done = await db.InboundEmails.Where(e => e.Id == id && e.State == InboundState.Received)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.State, outcome.State)
                .SetProperty(x => x.TicketId, outcome.TicketId)
                .SetProperty(x => x.TicketMessageId, outcome.MessageId)
                .SetProperty(x => x.Error, outcome.Error)
                .SetProperty(x => x.ProcessedAt, now)
                .SetProperty(x => x.LockedUntil, (DateTime?)null), ct);
        return done == 1;
    }

    /// <summary>The same marks as <see cref="FinishAsync"/>, left to the next SaveChanges (for rows this transaction holds).</summary>
    private void Mark(Guid id, Outcome outcome)
    {
        var entry = db.InboundEmails.Attach(new InboundEmail { Id = id, Key = "", Raw = [] });
        void Set<T>(System.Linq.Expressions.Expression<Func<InboundEmail, T>> property, T value)
        {
            var p = entry.Property(property);
            p.CurrentValue = value;
            p.IsModified = true;
        }
        Set(x => x.State, outcome.State);
        Set(x => x.TicketId, outcome.TicketId);
        Set(x => x.TicketMessageId, outcome.MessageId);
        Set(x => x.Error, outcome.Error);
        Set(x => x.ProcessedAt, clock.GetUtcNow().UtcDateTime);
        Set(x => x.LockedUntil, null);
    }
}
