using System.Security.Cryptography;
using System.Text;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Notifications;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Portal;

/// <summary>
/// The submitter's links to their ticket, <c>{PublicBaseUrl}/t/{token}</c>: 160 random bits, of which
/// only the SHA-256 is kept. Every email to the submitter carries a new one; all stay valid until a
/// moderator issues a new link, which revokes them.
/// </summary>
public static class PortalLinks
{
    /// <summary>A new link for the ticket, added to <paramref name="db"/> to be saved with the email that carries it.</summary>
    public static string Issue(AppDbContext db, string publicBaseUrl, Guid ticketId, DateTime now)
    {
        var token = Base32.Random(20);
        db.PortalTokens.Add(new PortalToken { Id = Guid.CreateVersion7(), TicketId = ticketId, TokenHash = Hash(token), CreatedAt = now });
        return $"{publicBaseUrl}/t/{token}";
    }

    /// <summary>Revokes every link the ticket has so far: one UPDATE, before the new one is added.</summary>
    public static Task<int> RevokeAllAsync(AppDbContext db, Guid ticketId, DateTime now, CancellationToken ct) =>
        db.PortalTokens.Where(t => t.TicketId == ticketId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);

    /// <summary>
    /// The ticket a presented token opens, or null. Whatever the text is (well-formed, malformed,
    /// empty, huge) it takes the same path: hashed, then looked up by the unique index, so the
    /// answer's timing says nothing about what a valid token looks like.
    /// </summary>
    public static Task<Guid?> FindAsync(AppDbContext db, string? token, CancellationToken ct)
    {
        var hash = Hash(token ?? "");
        return db.PortalTokens.AsNoTracking().Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .Select(t => (Guid?)t.TicketId).SingleOrDefaultAsync(ct);
    }

    /// <summary>How a token is kept: its SHA-256 in lower-case hex.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
