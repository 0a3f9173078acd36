using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tags;

/// <summary>
/// Renames a tag on every ticket that has it, merging into <c>to</c> when that tag exists already, in one
/// transaction. Each ticket is changed as any edit is (its version, its <c>tags</c> history entry), so a
/// ticket changed by someone else meanwhile fails the whole rename rather than being overwritten.
/// </summary>
public static class TagRename
{
    private const int Batch = 500;

    public abstract record Result;
    public sealed record NotFound : Result;
    public sealed record Conflict : Result;
    public sealed record Renamed(TagOut Tag, int Tickets) : Result;

    public static async Task<Result> RunAsync(AppDbContext db, string from, string to, CancellationToken ct)
    {
        if (await db.Tags.AsNoTracking().SingleOrDefaultAsync(t => t.Name == from, ct) is not { } tag)
        {
            return new NotFound();
        }
        var tickets = 0;
        if (from != to)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                // Each batch takes the tag off its tickets, so the next query finds the ones left, those
                // tagged meanwhile included, until none is.
                while (true)
                {
                    var batch = await db.Tickets
                        .Where(t => db.TicketTags.Any(l => l.TagId == tag.Id && l.TicketId == t.Id))
                        .OrderBy(t => t.Id).Take(Batch).ToListAsync(ct);
                    if (batch.Count == 0)
                    {
                        break;
                    }
                    foreach (var ticket in batch)
                    {
                        TagActions.Set(ticket, TagNames.Split(ticket.Tags).Select(n => n == from ? to : n));
                    }
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    tickets += batch.Count;
                }
                await db.Tags.Where(t => t.Id == tag.Id).ExecuteDeleteAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new Conflict();
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        var renamed = await db.Tags.AsNoTracking().Where(t => t.Name == to).Select(t => new TagOut(t.Name, t.TicketCount)).SingleAsync(ct);
        return new Renamed(renamed, tickets);
    }
}
