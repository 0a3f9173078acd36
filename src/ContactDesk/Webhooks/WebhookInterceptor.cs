using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactDesk.Audit;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Webhooks;

/// <summary>
/// Queues the webhook deliveries a change owes inside the same SaveChanges, so the same transaction:
/// a change that fails queues nothing, one that commits cannot lose its events. Every path that
/// creates or changes a ticket or adds a message (form, API, inbound email, portal, editor, bulk
/// actions) saves through here. Runs after <see cref="TicketAuditInterceptor"/>, whose version and
/// times the payload carries.
/// </summary>
public sealed class WebhookInterceptor(WebhookSignal signal, TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    // One interceptor serves every (pooled) context: which ones are saving deliveries right now.
    private readonly ConditionalWeakTable<DbContext, object> queued = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            await QueueAsync(db, ct);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db)
        {
            QueueAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && queued.Remove(db))
        {
            signal.Notify();
        }
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db && queued.Remove(db))
        {
            signal.Notify();
        }
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } db)
        {
            queued.Remove(db);
            // A retried SaveChanges queues afresh: drop what this attempt added.
            foreach (var entry in db.ChangeTracker.Entries<WebhookDelivery>().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
    }

    private async Task QueueAsync(AppDbContext db, CancellationToken ct)
    {
        var events = Events(db);
        if (events.Count == 0)
        {
            return;
        }
        var hooks = await db.Webhooks.AsNoTracking().Where(w => w.Active).Select(w => new { w.Id, w.Events }).ToListAsync(ct);
        var wanted = events.Where(e => hooks.Any(h => WebhookEvents.Split(h.Events).Contains(e.Name))).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var userIds = wanted.SelectMany(e => new[] { e.Ticket.AssignedToId, e.Ticket.ResolvedById }).OfType<Guid>().Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new UserRef(u.Id, u.Name, u.Email!)).ToDictionaryAsync(u => u.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (name, ticket, message) in wanted)
        {
            var data = new JsonObject { ["ticket"] = JsonSerializer.SerializeToNode(TicketOf(ticket, users), Json) };
            if (message is not null)
            {
                data["message"] = JsonSerializer.SerializeToNode(MessageOf(message), Json);
            }
            foreach (var hook in hooks.Where(h => WebhookEvents.Split(h.Events).Contains(name)))
            {
                var id = Guid.CreateVersion7();
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    Id = id,
                    WebhookId = hook.Id,
                    Event = name,
                    TicketId = ticket.Id,
                    Payload = WebhookPayload.Render(id, name, now, data.DeepClone()),
                    State = WebhookDeliveryState.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
            }
        }
        queued.AddOrUpdate(db, this);
    }

    /// <summary>
    /// What this change means to subscribers: a new ticket is <c>ticket.created</c> (its first message is
    /// part of it); a change to what a moderator sees is <c>ticket.resolved</c> when it newly resolves
    /// the ticket, else <c>ticket.updated</c>; a message added to an existing ticket is <c>message.created</c>.
    /// </summary>
    private static List<(string Name, Ticket Ticket, TicketMessage? Message)> Events(AppDbContext db)
    {
        var events = new List<(string, Ticket, TicketMessage?)>();
        var tickets = db.ChangeTracker.Entries<Ticket>().ToList();
        foreach (var entry in tickets)
        {
            if (entry.State == EntityState.Added)
            {
                events.Add((WebhookEvents.TicketCreated, entry.Entity, null));
            }
            else if (entry.State == EntityState.Modified && entry.Properties.Any(IsNews))
            {
                events.Add((NewlyResolved(entry) ? WebhookEvents.TicketResolved : WebhookEvents.TicketUpdated, entry.Entity, null));
            }
        }
        foreach (var message in db.ChangeTracker.Entries<TicketMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity))
        {
            var ticket = tickets.FirstOrDefault(t => t.Entity.Id == message.TicketId);
            if (ticket is { State: not EntityState.Added })
            {
                events.Add((WebhookEvents.MessageCreated, ticket.Entity, message));
            }
        }
        return events;
    }

    private static bool IsNews(PropertyEntry p) =>
        p.IsModified && !TicketAuditInterceptor.Unaudited.Contains(p.Metadata.Name) && !Equals(p.OriginalValue, p.CurrentValue);

    private static bool NewlyResolved(EntityEntry<Ticket> entry) =>
        entry.Entity.Status == TicketStatus.Resolved
        && entry.Property(t => t.ResolvedAt) is { IsModified: true } resolvedAt && resolvedAt.OriginalValue != resolvedAt.CurrentValue;

    private static TicketOut TicketOf(Ticket t, Dictionary<Guid, UserRef> users) => TicketOut.FromNew(t) with
    {
        AssignedTo = t.AssignedToId is { } a ? users.GetValueOrDefault(a) : null,
        ResolvedBy = t.ResolvedById is { } r ? users.GetValueOrDefault(r) : null,
    };

    private static MessageOut MessageOf(TicketMessage m) => new(
        m.Id, m.TicketId, m.Kind, m.AuthorId is { } id ? new ActorOut(id, m.AuthorName) : null, m.FromEmail, m.Body, m.Source,
        m.Attachments.OrderBy(a => a.Position).Select(ThreadReader.Out).ToList(), m.CreatedAt,
        m.Kind == MessageKind.Reply ? MessageDelivery.Queued : null);

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceSetup.Configure(json);
        return json;
    }
}
