using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactDesk.Attachments;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Operations;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Submissions;

/// <summary>Turns a valid submission into a ticket, honouring an Idempotency-Key.</summary>
public sealed class TicketSubmitter(AppDbContext db, AttachmentStore store, TimeProvider clock, ContactDeskMetrics metrics)
{
    public abstract record Outcome;
    /// <param name="Replayed">True when an earlier request with the same key made the ticket.</param>
    public sealed record Accepted(TicketOut Ticket, bool Replayed) : Outcome
    {
        /// <summary>The thread's first message (the submission), when this call made the ticket.</summary>
        public Guid? MessageId { get; init; }
    }
    public sealed record KeyReused : Outcome;

    /// <param name="source">Where it came from: the /contact page (form) or the API (api).</param>
    /// <param name="files">Staged uploads that become the first message's attachments; the caller disposes them.</param>
    public async Task<Outcome> SubmitAsync(Submission submission, Guid? userId, string? idempotencyKey, CancellationToken ct,
        MessageSource source = MessageSource.Api, IReadOnlyList<StagedFile>? files = null)
    {
        files ??= [];
        var requestHash = idempotencyKey is null ? null : Hash(submission, userId, files);
        // One connection for the whole submission instead of one per statement from the pool.
        await db.Database.OpenConnectionAsync(ct);
        if (idempotencyKey is not null && await ReplayAsync(idempotencyKey, requestHash!, ct) is { } earlier)
        {
            return earlier;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var day = DateOnly.FromDateTime(now);
        var counter = await db.NextTicketCounterAsync(day, ct);
        var ticketNumber = $"CONT-{day:yyyyMMdd}-{counter:D4}";

        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(),
            TicketNumber = ticketNumber,
            Name = submission.Name,
            Email = submission.Email,
            Subject = submission.Subject,
            Message = submission.Message,
            Category = submission.Category,
            Status = TicketStatus.Pending,
            UserId = userId,
            SearchText = Ticket.BuildSearchText(ticketNumber, submission.Name, submission.Email, submission.Subject, submission.Message),
        };
        db.Tickets.Add(ticket);
        // The thread's first message, in the same batch of inserts: no extra round trip. Its time
        // and the ticket's summary of it are stamped with the ticket's own (TicketAuditInterceptor).
        var messageId = Guid.CreateVersion7();
        db.Messages.Add(new TicketMessage
        {
            Id = messageId, TicketId = ticket.Id, Kind = MessageKind.Customer, Source = source, FromEmail = submission.Email, Body = submission.Message,
            Attachments = MessageAttachment.For(messageId, files),
        });
        ticket.MessageCount = 1;
        ticket.WaitingOn = WaitingOn.Staff;
        if (idempotencyKey is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyKey { Key = idempotencyKey, RequestHash = requestHash!, TicketId = ticket.Id, CreatedAt = now });
        }

        try
        {
            if (files.Count == 0)
            {
                await db.SaveChangesAsync(ct);
            }
            else
            {
                // The files' contents and the ticket commit together (in the caller's transaction if
                // there is one: the inbound email that becomes this ticket is marked in it too).
                await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
                await store.SaveAsync(db, files, now, ct);
                await db.SaveChangesAsync(ct);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }
            }
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && db.IsUniqueViolation(e))
        {
            // The same key arrived twice at once and the other request committed first.
            db.ChangeTracker.Clear();
            return await ReplayAsync(idempotencyKey, requestHash!, ct) ?? throw new InvalidOperationException("Unique violation without a key.", e);
        }
        db.ChangeTracker.Clear();
        metrics.TicketCreated(source);
        // What was just written, as written (the interceptors stamped times and version): no need to read it back.
        return new Accepted(TicketOut.FromNew(ticket), Replayed: false) { MessageId = messageId };
    }

    private async Task<Outcome?> ReplayAsync(string key, string requestHash, CancellationToken ct)
    {
        var earlier = await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Key == key, ct);
        if (earlier is null)
        {
            return null;
        }
        if (earlier.RequestHash != requestHash)
        {
            return new KeyReused();
        }
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == earlier.TicketId).Select(TicketOut.Projection).SingleOrDefaultAsync(ct);
        // Whoever repeats the key and the body (the submitter, or anyone who learnt both) gets the
        // ticket back, but not the moderators' side of it: internal notes and who works on it.
        return ticket is null ? new KeyReused() : new Accepted(ticket with { AdminNotes = null, AssignedTo = null, ResolvedBy = null }, Replayed: true);
    }

    // Without files, the same hash as before files existed: keys stored then still replay.
    private static string Hash(Submission submission, Guid? userId, IReadOnlyList<StagedFile> files) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(files.Count == 0
            ? JsonSerializer.Serialize(new { submission, userId })
            : JsonSerializer.Serialize(new { submission, userId, files = files.Select(f => new { f.FileName, f.Sha256 }) }))));
}
