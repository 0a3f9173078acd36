using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tags;

/// <summary>
/// PostgreSQL only: how many unarchived tickets carry each tag and each pair of tags, kept by a
/// trigger on <c>tickets.tag_ids</c> and <c>status</c> (migration <c>TagPairCounts</c>), the way
/// <c>ticket_tallies</c> keeps the status counts. The queue's total for one or two tags is then one
/// row, where counting two common tags' tickets reads thousands of pages at 1M tickets
/// (docs/performance.md, "Triage at 1M tickets"). Pairs are stored once, lower id first; a single
/// tag is the pair of itself.
/// </summary>
public static class TagPairCounts
{
    /// <summary>The number of unarchived tickets having all of <paramref name="names"/> (one or two), or null where not kept.</summary>
    public static async Task<int?> TotalAsync(AppDbContext db, IReadOnlyList<string> names, CancellationToken ct)
    {
        if (!TagIdArray.IsMapped(db))
        {
            return null;
        }
        var ids = await db.Tags.AsNoTracking().Where(t => names.Contains(t.Name)).Select(t => t.Id).ToListAsync(ct);
        if (ids.Count < names.Count)
        {
            return 0; // a tag nobody has
        }
        var (low, high) = (ids.Min(), ids.Max());
        return await db.Database
            .SqlQuery<int>($"SELECT coalesce(sum(tickets), 0)::int AS \"Value\" FROM tag_pair_counts WHERE tag_a = {low} AND tag_b = {high}")
            .SingleAsync(ct);
    }
}
