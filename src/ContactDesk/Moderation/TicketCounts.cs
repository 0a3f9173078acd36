using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Moderation;

/// <summary>
/// Exact ticket counts read from <c>ticket_tallies</c> (see <see cref="TicketTally"/>) instead of
/// counting the tickets themselves: a sum over a few dozen rows whatever the number of tickets.
/// </summary>
public static class TicketCounts
{
    public sealed record Cell(TicketStatus Status, TicketCategory Category, Guid? AssignedToId, int Tickets, int Resolved, double ResolutionSeconds);

    public static Task<List<Cell>> CellsAsync(AppDbContext db, CancellationToken ct) =>
        db.TicketTallies
            .GroupBy(t => new { t.Status, t.Category, t.AssignedToId })
            .Select(g => new Cell(g.Key.Status, g.Key.Category, g.Key.AssignedToId,
                g.Sum(t => t.Tickets), g.Sum(t => t.Resolved), g.Sum(t => t.ResolutionSeconds)))
            .ToListAsync(ct);

    /// <summary>
    /// The number of tickets <paramref name="filter"/> matches: from the tallies when it filters only
    /// by status, category and assignee (the queue's usual views); counted when it searches or
    /// filters by anything else (one or two tags alone: see <see cref="Tags.TagPairCounts"/>).
    /// </summary>
    public static async Task<int> TotalAsync(AppDbContext db, TicketFilter filter, CancellationToken ct)
    {
        if (filter.CountableFromTagPairs && await Tags.TagPairCounts.TotalAsync(db, filter.Tags!, ct) is { } tagged)
        {
            return tagged;
        }
        if (!filter.CountableFromTallies)
        {
            return await (await filter.WhereAsync(db, forCounting: true, ct)).CountAsync(ct);
        }
        var cells = await CellsAsync(db, ct);
        return cells.Where(c => filter.MatchesTally(c.Status, c.Category, c.AssignedToId)).Sum(c => c.Tickets);
    }
}
