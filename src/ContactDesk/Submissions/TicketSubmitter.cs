using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Submissions;

/// <summary>Turns a valid submission into a ticket, honouring an Idempotency-Key.</summary>
public sealed class TicketSubmitter(AppDbContext db, TimeProvider clock)
{
    public abstract record Outcome;
    /// <param name="Replayed">True when an earlier request with the same key made the ticket.</param>
    public sealed record Accepted(TicketOut Ticket, bool Replayed) : Outcome;
    public sealed record KeyReused : Outcome;

    public async Task<Outcome> SubmitAsync(Submission submission, Guid? userId, string? idempotencyKey, CancellationToken ct)
    {
        var requestHash = idempotencyKey is null ? null : Hash(submission, userId);
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
        if (idempotencyKey is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyKey { Key = idempotencyKey, RequestHash = requestHash!, TicketId = ticket.Id, CreatedAt = now });
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && db.IsUniqueViolation(e))
        {
            // The same key arrived twice at once and the other request committed first.
            db.ChangeTracker.Clear();
            return await ReplayAsync(idempotencyKey, requestHash!, ct) ?? throw new InvalidOperationException("Unique violation without a key.", e);
        }
        db.ChangeTracker.Clear();
        // What was just written, as written (the interceptors stamped times and version): no need to read it back.
        return new Accepted(TicketOut.FromNew(ticket), Replayed: false);
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

    private static string Hash(Submission submission, Guid? userId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { submission, userId }))));
}
