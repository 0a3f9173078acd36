using ContactDesk.Data;
using ContactDesk.Identity;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Live;

/// <summary>Heartbeats in, who else is on a ticket out; a change of who or of typing is announced live.</summary>
public sealed class PresenceStore(AppDbContext db, LiveFeed feed, TimeProvider clock)
{
    /// <summary>How long a heartbeat counts; the page beats every <see cref="HeartbeatSeconds"/>.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    public const int HeartbeatSeconds = 10;

    public sealed record Viewer(Guid Id, string Name, bool Typing);

    /// <summary>Records that <paramref name="userId"/> is on the ticket (or has left it) and returns the others there.</summary>
    public async Task<IReadOnlyList<Viewer>> BeatAsync(Guid ticketId, Guid userId, string userName, bool typing, bool leaving, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Set<TicketPresence>().Where(p => p.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var mine = await db.Set<TicketPresence>().SingleOrDefaultAsync(p => p.TicketId == ticketId && p.UserId == userId, ct);
        var changed = false;
        if (leaving)
        {
            if (mine is not null)
            {
                db.Remove(mine);
                changed = true;
            }
        }
        else if (mine is null)
        {
            db.Add(new TicketPresence { TicketId = ticketId, UserId = userId, UserName = userName, Typing = typing, ExpiresAt = now + Expiry });
            changed = true;
        }
        else
        {
            changed = mine.Typing != typing;
            (mine.Typing, mine.ExpiresAt, mine.UserName) = (typing, now + Expiry, userName);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same person's other tab beat at the same moment (insert or delete): its row stands.
            db.ChangeTracker.Clear();
            changed = false;
        }
        if (changed)
        {
            await feed.AnnouncePresenceAsync(db, ticketId, ct);
        }
        return await OthersAsync(ticketId, userId, ct);
    }

    public async Task<IReadOnlyList<Viewer>> OthersAsync(Guid ticketId, Guid userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Set<TicketPresence>().AsNoTracking()
            .Where(p => p.TicketId == ticketId && p.UserId != userId && p.ExpiresAt > now)
            .OrderBy(p => p.UserName)
            .Select(p => new Viewer(p.UserId, p.UserName, p.Typing))
            .ToListAsync(ct);
    }
}
