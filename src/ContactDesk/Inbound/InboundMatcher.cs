using System.Text.RegularExpressions;
using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Inbound;

/// <summary>
/// Which ticket an email belongs to, in the contract's order: (1) a Message-ID of the ticket's
/// thread in In-Reply-To/References — unguessable, so naming one is proof enough; (2) the ticket
/// number in the subject, but only from the ticket's own address (a stranger who copies a number
/// into a subject never lands in that ticket). Null: a new ticket.
/// </summary>
public sealed partial class InboundMatcher(AppDbContext db)
{
    public sealed record Match(Guid TicketId, string TicketNumber, bool Archived);

    [GeneratedRegex(@"\bCONT-\d{8}-\d{4,}\b", RegexOptions.IgnoreCase)]
    private static partial Regex TicketNumberPattern();

    public async Task<Match?> MatchAsync(ReadMail mail, CancellationToken ct)
    {
        if (mail.ThreadIds.Count > 0)
        {
            var ids = mail.ThreadIds.Where(id => id.Length <= 255).ToList();
            var byThread = await db.ThreadEmailIds.AsNoTracking().Where(t => ids.Contains(t.MessageId)).OrderByDescending(t => t.Id)
                .Join(db.Tickets, t => t.TicketId, k => k.Id, (t, k) => new Match(k.Id, k.TicketNumber, k.Status == TicketStatus.Archived))
                .FirstOrDefaultAsync(ct);
            if (byThread is not null)
            {
                return byThread;
            }
        }
        if (SubjectTicketNumber(mail.Subject) is { } number)
        {
            var sender = mail.FromAddress.ToLowerInvariant();
            return await db.Tickets.AsNoTracking().Where(t => t.TicketNumber == number && t.Email.ToLower() == sender)
                .Select(t => new Match(t.Id, t.TicketNumber, t.Status == TicketStatus.Archived))
                .FirstOrDefaultAsync(ct);
        }
        return null;
    }

    public static string? SubjectTicketNumber(string subject) =>
        TicketNumberPattern().Match(subject) is { Success: true } m ? m.Value.ToUpperInvariant() : null;

    /// <summary>The ticket was deleted: its history keeps the number (and says so) after the ticket is gone.</summary>
    public Task<bool> WasDeletedAsync(string ticketNumber, CancellationToken ct) =>
        db.AuditEntries.AnyAsync(a => a.TicketNumber == ticketNumber && a.Action == "deleted", ct);
}
