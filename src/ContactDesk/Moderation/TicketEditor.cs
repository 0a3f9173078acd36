using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Moderation;

/// <summary>
/// Loads a ticket, applies one action and saves it with the version it was read at in the
/// UPDATE's WHERE. When someone else saved first the action is tried again on the fresh row
/// (so of two moderators claiming at once, exactly one wins), up to eight times with a short random
/// wait between; with <c>If-Match</c> it is 412 instead.
/// </summary>
public sealed class TicketEditor(AppDbContext db)
{
    private const int Attempts = 8;

    public abstract record Result;
    public sealed record NotFound : Result;
    public sealed record Stale : Result;
    public sealed record Refused(string Reason) : Result;
    public sealed record Done(bool Changed) : Result;

    public async Task<Result> EditAsync(Guid id, Func<Ticket, TicketActions.Outcome> action, IfMatch? ifMatch, CancellationToken ct)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == id, ct);
                if (ticket is null)
                {
                    return new NotFound();
                }
                if (ifMatch is not null && !ifMatch.Matches(ticket.Version))
                {
                    return new Stale();
                }
                switch (action(ticket))
                {
                    case TicketActions.Refused refused:
                        return new Refused(refused.Reason);
                    case TicketActions.Unchanged:
                        return new Done(Changed: false);
                }
                try
                {
                    await db.SaveChangesAsync(ct);
                    return new Done(Changed: true);
                }
                catch (DbUpdateConcurrencyException) when (ifMatch is not null)
                {
                    return new Stale();
                }
                catch (DbUpdateConcurrencyException) when (attempt < Attempts)
                {
                    db.ChangeTracker.Clear();
                    // A short random wait, growing with each loss: retrying at once can lose to the
                    // same busy writer again and again (two instances editing one ticket in a loop).
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << attempt)), ct);
                }
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public Task<TicketOut?> ReadAsync(Guid id, CancellationToken ct) =>
        db.Tickets.AsNoTracking().Where(t => t.Id == id).Select(TicketOut.Projection).SingleOrDefaultAsync(ct);
}
