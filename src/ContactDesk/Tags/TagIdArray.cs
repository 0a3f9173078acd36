using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ContactDesk.Tags;

/// <summary>
/// PostgreSQL only: each ticket's tag ids as an <c>integer[]</c> (<c>tickets.tag_ids</c>, null when it
/// has none) under a GIN index of the unarchived tagged tickets. The queue's total for
/// <c>tag=a,b</c> is then the intersection of two posting lists inside the index, counted without
/// reading the tickets, where a join of <c>ticket_tags</c> with every unarchived ticket took about
/// 230 ms for two common tags at 1M tickets (docs/performance.md, "Triage at 1M tickets"). The pages
/// themselves still come from <c>ticket_tags</c>: the newest tickets first, each probed by its key.
/// </summary>
public static class TagIdArray
{
    /// <summary>A shadow property of <see cref="Ticket"/>, in the PostgreSQL model only.</summary>
    public const string Property = "TagIds";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<Ticket>().Property<int[]?>(Property).HasColumnName("tag_ids");
        // Partial: untagged and archived tickets are not in it, so a submission never writes to it and
        // the default queue's count needs nothing but the index (archived ones are counted the other way).
        model.Entity<Ticket>().HasIndex(Property).HasMethod("gin")
            .HasFilter("tag_ids IS NOT NULL AND status <> 'archived'");
    }

    public static bool IsMapped(AppDbContext db) => db.Model.FindEntityType(typeof(Ticket))!.FindProperty(Property) is not null;

    /// <summary>Sets the array from the ticket's tag ids, sorted; null when there are none.</summary>
    public static void Set(EntityEntry<Ticket> ticket, IEnumerable<int> tagIds)
    {
        var ids = tagIds.Order().ToArray();
        ticket.Property<int[]?>(Property).CurrentValue = ids.Length == 0 ? null : ids;
    }

    /// <summary>Tickets having every one of the tags, answered by the GIN index (<c>tag_ids @&gt; ids</c>).</summary>
    public static IQueryable<Ticket> HavingAll(IQueryable<Ticket> tickets, int[] ids) =>
        tickets.Where(t => EF.Property<int[]?>(t, Property) != null && ids.All(id => EF.Property<int[]>(t, Property).Contains(id)));
}
