using System.Runtime.CompilerServices;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Identity;
using ContactDesk.Portal;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Notifications;

/// <summary>
/// Queues the emails a ticket change owes into the outbox, inside the same SaveChanges and so the
/// same transaction: a new ticket owes a confirmation and one notification per admin; a ticket
/// being resolved (newly stamped resolved_at, so not a mere restore) owes the submitter a
/// resolution email, whichever endpoint resolved it.
/// </summary>
public sealed class TicketEmailInterceptor(EmailComposer composer, OutboxSignal signal, TimeProvider clock) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            await QueueAsync(db, ct);
        }
        return result;
    }

    // One interceptor serves every context (they are pooled): which ones are saving emails right now.
    private readonly ConditionalWeakTable<DbContext, object> queued = new();

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && queued.Remove(db))
        {
            signal.Notify(); // wake the dispatcher now rather than at its next poll
        }
        return ValueTask.FromResult(result);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is { } db)
        {
            queued.Remove(db);
        }
        return Task.CompletedTask;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db)
        {
            QueueAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    private async Task QueueAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(string Email, string Name)>? admins = null;

        foreach (var entry in db.ChangeTracker.Entries<Ticket>().ToList())
        {
            var ticket = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                var confirmation = Email(db, EmailKind.Confirmation, ticket, ticket.Email, ticket.Name, now, ToSubmitter(db, ticket, now));
                db.OutboxEmails.Add(confirmation);
                Remember(db, confirmation);
                admins ??= await AdminsAsync(db, ct);
                foreach (var (email, name) in admins)
                {
                    db.OutboxEmails.Add(Email(db, EmailKind.AdminNotification, ticket, email, name, now));
                }
            }
            else if (entry.State == EntityState.Modified && ticket.Status == TicketStatus.Resolved
                && entry.Property(t => t.ResolvedAt) is { IsModified: true } resolvedAt && resolvedAt.OriginalValue != resolvedAt.CurrentValue
                && !RepliedInThisChange(db, ticket.Id))
            {
                var resolution = Email(db, EmailKind.Resolution, ticket, ticket.Email, ticket.Name, now, ToSubmitter(db, ticket, now));
                EmailComposer.Thread(resolution, await ThreadIdsAsync(db, ticket.Id, ct));
                db.OutboxEmails.Add(resolution);
                Remember(db, resolution);
            }
        }
    }

    /// <summary>A reply queued in the same change already tells the submitter (it says resolved): one email, not two.</summary>
    private static bool RepliedInThisChange(AppDbContext db, Guid ticketId) =>
        db.ChangeTracker.Entries<OutboxEmail>().Any(e => e.State == EntityState.Added && e.Entity.Kind == EmailKind.Reply && e.Entity.TicketId == ticketId);

    /// <summary>The Message-IDs sent (or received) for a ticket so far, oldest first: what a new email to the submitter threads under.</summary>
    public static Task<List<string>> ThreadIdsAsync(AppDbContext db, Guid ticketId, CancellationToken ct) =>
        db.ThreadEmailIds.AsNoTracking().Where(t => t.TicketId == ticketId).OrderBy(t => t.Id).Select(t => t.MessageId).ToListAsync(ct);

    /// <summary>Records an email to the submitter as part of the ticket's thread.</summary>
    public static void Remember(AppDbContext db, OutboxEmail email) =>
        db.ThreadEmailIds.Add(new ThreadEmailId { TicketId = email.TicketId, MessageId = email.MessageId, CreatedAt = email.CreatedAt });

    /// <summary>Every admin's address and name: who hears of a new ticket, or of a message on an unassigned one.</summary>
    public static async Task<List<(string Email, string Name)>> AdminsAsync(AppDbContext db, CancellationToken ct)
    {
        var adminRoleId = Roles.Seed.Single(r => r.Name == Roles.Admin).Id;
        var admins = await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == adminRoleId))
            .Select(u => new { u.Email, u.Name })
            .ToListAsync(ct);
        return admins.Select(a => (a.Email!, a.Name)).ToList();
    }

    private OutboxEmail Email(AppDbContext db, EmailKind kind, Ticket ticket, string to, string name, DateTime now, string? portalUrl = null)
    {
        queued.AddOrUpdate(db, this);
        return composer.Queue(kind, ticket, to, name, now, portalUrl);
    }

    /// <summary>Every email to the submitter carries a portal link: its token row is saved in the same batch.</summary>
    private string ToSubmitter(AppDbContext db, Ticket ticket, DateTime now) => PortalLinks.Issue(db, composer.PublicBaseUrl, ticket.Id, now);
}
