using ContactDesk.Data;
using ContactDesk.Tickets;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ContactDesk.Moderation;

/// <summary>
/// Exact ticket counts read from <c>ticket_tallies</c> (see <see cref="TicketTally"/>) instead of
/// counting the tickets themselves: a sum over a few dozen rows whatever the number of tickets.
/// </summary>
public static class TicketCounts
{
    public sealed record Cell(TicketStatus Status, TicketCategory Category, Guid? AssignedToId, int Tickets, int Resolved, double ResolutionSeconds);

    public static async Task<List<Cell>> CellsAsync(AppDbContext db, CancellationToken ct) =>
        await CompiledCells.GetValue(db.Model, _ => CompileCells())(db).ToListAsync(ct);

    // Compiled once per model (a compiled query refuses a context of another model, and a process
    // may host more than one app): every queue page and statistics call reads the tallies, and EF
    // would otherwise hash and look up this expression tree each time.
    private static readonly ConditionalWeakTable<IModel, Func<AppDbContext, IAsyncEnumerable<Cell>>> CompiledCells = new();

    private static Func<AppDbContext, IAsyncEnumerable<Cell>> CompileCells() => EF.CompileAsyncQuery((AppDbContext db) =>
        db.TicketTallies
            .GroupBy(t => new { t.Status, t.Category, t.AssignedToId })
            .Select(g => new Cell(g.Key.Status, g.Key.Category, g.Key.AssignedToId,
                g.Sum(t => t.Tickets), g.Sum(t => t.Resolved), g.Sum(t => t.ResolutionSeconds))));

    /// <summary>
    /// A search counts its matches up to this many, or one page past the page asked for if that is
    /// more: a common word matches a tenth of the tickets, and counting them all visits every table
    /// page that holds one (160 ms at a million tickets). Above it the total is a lower bound.
    /// </summary>
    public const int SearchCountedUpTo = 1_000;

    /// <summary>A total, or with <see cref="IsExact"/> false a lower bound: there are more than <see cref="Value"/>.</summary>
    public readonly record struct Total(int Value, bool IsExact);

    /// <summary>
    /// The number of tickets <paramref name="filter"/> matches: from the tallies when it filters only
    /// by status, category and assignee (the queue's usual views); counted when it searches or
    /// filters by anything else (one or two tags alone: see <see cref="Tags.TagPairCounts"/>); a
    /// search is counted only up to <see cref="SearchCountedUpTo"/>, and a lower bound is remembered
    /// for a minute (<see cref="SearchTotalMemory"/>).
    /// </summary>
    public static async Task<Total> TotalAsync(AppDbContext db, TicketFilter filter, SearchTotalMemory memory, CancellationToken ct)
    {
        if (filter.CountableFromTagPairs && await Tags.TagPairCounts.TotalAsync(db, filter.Tags!, ct) is { } tagged)
        {
            return new(tagged, true);
        }
        if (filter.Search is not null)
        {
            var enough = Math.Max(SearchCountedUpTo, (filter.Page + 1) * filter.PageSize);
            if (memory.KnowsMoreThan(filter, enough))
            {
                return new(enough, false);
            }
            var counted = await (await filter.WhereAsync(db, forCounting: true, ct)).Take(enough + 1).CountAsync(ct);
            if (counted <= enough)
            {
                return new(counted, true);
            }
            memory.RememberMoreThan(filter, enough);
            return new(enough, false);
        }
        if (!filter.CountableFromTallies)
        {
            return new(await (await filter.WhereAsync(db, forCounting: true, ct)).CountAsync(ct), true);
        }
        var cells = await CellsAsync(db, ct);
        return new(cells.Where(c => filter.MatchesTally(c.Status, c.Category, c.AssignedToId)).Sum(c => c.Tickets), true);
    }
}
