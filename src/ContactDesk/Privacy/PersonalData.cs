using System.Text;
using ContactDesk.Data;
using ContactDesk.Inbound;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Privacy;

/// <summary>Where the data of one address is: its tickets (matched like inbound mail, ignoring case) and the raw mails it sent.</summary>
public static class PersonalData
{
    public const string Erased = "[erased]";

    /// <summary>How many raw mails are read into memory at once while looking for the address in unmatched ones.</summary>
    private const int RawBatch = 50;

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The tickets submitted from <paramref name="address"/> (normalised), oldest first.</summary>
    public static IQueryable<Tickets.Ticket> TicketsOf(AppDbContext db, string address) =>
        db.Tickets.Where(t => t.Email.ToLower() == address).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id);

    /// <summary>
    /// The inbound mails of <paramref name="ticketIds"/>, and those that reached no ticket (bounces,
    /// failures) and mention the address anywhere in their bytes (a bounce of a mail to it, its own mail).
    /// </summary>
    public static async Task<List<Guid>> InboundMailsAsync(AppDbContext db, string address, IReadOnlyCollection<Guid> ticketIds, CancellationToken ct)
    {
        var ids = await db.InboundEmails.Where(e => e.TicketId != null && ticketIds.Contains(e.TicketId.Value)).Select(e => e.Id).ToListAsync(ct);
        var unmatched = await db.InboundEmails.Where(e => e.TicketId == null).Select(e => e.Id).ToListAsync(ct);
        // A batch at a time, so only a few raw mails are in memory at once.
        foreach (var chunk in unmatched.Chunk(RawBatch))
        {
            var batch = await db.InboundEmails.AsNoTracking().Where(e => chunk.Contains(e.Id)).Select(e => new { e.Id, e.Raw }).ToListAsync(ct);
            ids.AddRange(batch.Where(e => Mentions(e.Raw, address)).Select(e => e.Id));
        }
        return ids;
    }

    /// <summary>Addresses are ASCII in headers; Latin-1 maps every byte to one character, so nothing is lost decoding.</summary>
    private static bool Mentions(byte[] raw, string address) =>
        Encoding.Latin1.GetString(raw).Contains(address, StringComparison.OrdinalIgnoreCase);
}
