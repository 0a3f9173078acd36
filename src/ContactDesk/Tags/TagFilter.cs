using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tags;

/// <summary>The queue's <c>tag=</c> filter: tickets having every one of the tags.</summary>
public static class TagFilter
{
    /// <summary>
    /// The names become ids first (one look-up on the unique name index); then each tag is an EXISTS on
    /// <c>ticket_tags (tag_id, ticket_id)</c>, which the database answers from that index alone, as a
    /// semi-join or an intersection of id lists, without reading any ticket that lacks a tag.
    /// <paramref name="onlyCounted"/>, with no archived ticket wanted: on PostgreSQL the
    /// <see cref="TagIdArray"/> index answers instead, as only the number of tickets is read.
    /// </summary>
    public static async Task<IQueryable<Ticket>> HavingAllAsync(AppDbContext db, IQueryable<Ticket> tickets, IReadOnlyList<string> names,
        bool onlyCounted, CancellationToken ct)
    {
        var ids = await db.Tags.AsNoTracking().Where(t => names.Contains(t.Name)).Select(t => t.Id).ToListAsync(ct);
        if (ids.Count < names.Count)
        {
            return tickets.Where(t => false); // a tag nobody has: no ticket has all of them
        }
        if (onlyCounted && TagIdArray.IsMapped(db))
        {
            return TagIdArray.HavingAll(tickets, [.. ids]);
        }
        foreach (var id in ids)
        {
            tickets = tickets.Where(t => db.TicketTags.Any(l => l.TagId == id && l.TicketId == t.Id));
        }
        return tickets;
    }
}
