using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Sla;

/// <summary>
/// The one place deadlines are kept up to date: every ticket created or changed (status, waiting_on,
/// priority, first response) passes through SaveChanges, whichever endpoint, page, bulk action or
/// inbound email changed it, and its SLA columns are worked out again in the same UPDATE.
/// </summary>
public sealed class SlaInterceptor(SlaPolicyStore store, TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly string[] Relevant =
        [nameof(Ticket.Status), nameof(Ticket.WaitingOn), nameof(Ticket.Priority), nameof(Ticket.FirstResponseAt), nameof(Ticket.ResolvedAt)];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            var changed = Changed(db);
            if (changed.Count > 0)
            {
                var (_, policy) = await store.GetAsync(db, ct);
                Apply(changed, policy);
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db)
        {
            var changed = Changed(db);
            if (changed.Count > 0)
            {
                var (_, policy) = store.GetAsync(db, CancellationToken.None).GetAwaiter().GetResult();
                Apply(changed, policy);
            }
        }
        return result;
    }

    private static List<(Ticket Ticket, bool FromCreation)> Changed(DbContext db) =>
        db.ChangeTracker.Entries<Ticket>()
            .Where(e => e.State == EntityState.Added
                || e.State == EntityState.Modified && Relevant.Any(name => e.Property(name) is { IsModified: true } p && !Equals(p.OriginalValue, p.CurrentValue)))
            .Select(e => (e.Entity, e.State == EntityState.Modified && e.Property(t => t.Priority) is { IsModified: true } p && p.OriginalValue != p.CurrentValue))
            .ToList();

    private void Apply(List<(Ticket Ticket, bool FromCreation)> changed, SlaPolicy? policy)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        foreach (var (ticket, fromCreation) in changed)
        {
            if (ticket.CreatedAt == default)
            {
                ticket.CreatedAt = now; // a new ticket: the audit interceptor stamps the same instant
            }
            SlaClock.Apply(ticket, policy, now, fromCreation);
        }
    }
}
