using ContactDesk.Conversation;
using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Live;

/// <summary>
/// A reply about to go out after someone else's newer reply: the form carries the last message
/// its author saw, and a staff reply written after that by another person asks for confirmation
/// ("Maria replied 40 seconds ago") instead of answering the customer twice.
/// </summary>
public static class ReplyCollision
{
    public const string LastSeenField = "last_seen_message_id", ConfirmField = "confirm_after_newer";

    public sealed record Newer(Guid MessageId, string AuthorName, DateTime At)
    {
        /// <summary>"Maria replied 40 seconds ago".</summary>
        public string Describe(DateTime now) => $"{AuthorName} replied {Ago(now - At)} ago";
    }

    /// <summary>The newest reply by someone other than <paramref name="me"/> after <paramref name="lastSeen"/>, if any.</summary>
    public static async Task<Newer?> FindAsync(AppDbContext db, Guid ticketId, Guid? lastSeen, Guid me, CancellationToken ct)
    {
        if (lastSeen is null)
        {
            return null; // a form without the field (an API client that does not ask): nothing to compare
        }
        var seenAt = await db.Messages.Where(m => m.Id == lastSeen && m.TicketId == ticketId).Select(m => (DateTime?)m.CreatedAt).SingleOrDefaultAsync(ct);
        if (seenAt is null)
        {
            return null;
        }
        return await db.Messages.AsNoTracking()
            .Where(m => m.TicketId == ticketId && m.Kind == MessageKind.Reply && m.AuthorId != me && m.CreatedAt > seenAt)
            .OrderByDescending(m => m.CreatedAt)
            .Select(m => new Newer(m.Id, m.AuthorName ?? "Someone", m.CreatedAt))
            .FirstOrDefaultAsync(ct);
    }

    internal static string Ago(TimeSpan span)
    {
        var (n, unit) = span.TotalSeconds switch
        {
            < 60 => (Math.Max(1, (int)span.TotalSeconds), "second"),
            < 3600 => ((int)span.TotalMinutes, "minute"),
            _ => ((int)span.TotalHours, "hour"),
        };
        return $"{n} {unit}{(n == 1 ? "" : "s")}";
    }
}
