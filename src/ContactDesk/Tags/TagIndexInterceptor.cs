using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Tags;

/// <summary>
/// Keeps <c>ticket_tags</c> in step with each ticket's <see cref="Ticket.Tags"/> in the same SaveChanges
/// (and so the same transaction) that changes them: whatever path changes a ticket's tags (PATCH, bulk,
/// a canned response, a rename), the filter's index follows, and the audit trail records the change
/// once, as the ticket's <c>tags</c> field.
/// </summary>
public sealed class TagIndexInterceptor : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            await SyncAsync(db, ct);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db)
        {
            SyncAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    private static async Task SyncAsync(AppDbContext db, CancellationToken ct)
    {
        var changes = db.ChangeTracker.Entries<Ticket>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && e.Property(t => t.Tags).IsModified))
            .Select(e => (
                Entry: e,
                Before: e.State == EntityState.Added ? [] : TagNames.Split(e.Property(t => t.Tags).OriginalValue),
                After: TagNames.Split(e.Entity.Tags)))
            .Where(c => !c.Before.SequenceEqual(c.After))
            .ToList();
        if (changes.Count == 0)
        {
            return;
        }
        var added = changes.SelectMany(c => c.After.Except(c.Before)).ToHashSet();
        // Created beforehand and idempotently: two tickets getting a new tag at once both find it,
        // where inserting it with the ticket would make one of them fail on the unique name.
        foreach (var name in added)
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO tags (name, ticket_count) VALUES ({name}, 0) ON CONFLICT (name) DO NOTHING", ct);
        }
        var names = changes.SelectMany(c => c.Before.Concat(c.After)).Distinct().ToList();
        var ids = await db.Tags.AsNoTracking().Where(t => names.Contains(t.Name)).ToDictionaryAsync(t => t.Name, t => t.Id, ct);
        var links = db.Set<TicketTag>();
        var idArray = TagIdArray.IsMapped(db);
        foreach (var (entry, before, after) in changes)
        {
            var ticketId = entry.Entity.Id;
            if (idArray)
            {
                TagIdArray.Set(entry, after.Select(name => ids[name]));
            }
            foreach (var name in after.Except(before))
            {
                links.Add(new TicketTag { TicketId = ticketId, TagId = ids[name] });
            }
            foreach (var name in before.Except(after).Where(ids.ContainsKey))
            {
                var link = links.Local.FirstOrDefault(l => l.TicketId == ticketId && l.TagId == ids[name])
                    ?? links.Attach(new TicketTag { TicketId = ticketId, TagId = ids[name] }).Entity;
                links.Remove(link);
            }
        }
    }
}
