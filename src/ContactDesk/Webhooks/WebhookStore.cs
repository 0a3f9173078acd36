using ContactDesk.Data;
using ContactDesk.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Webhooks;

/// <param name="Secret">Only in the answer to the creation; null everywhere else.</param>
public sealed record WebhookOut(Guid Id, string Url, IReadOnlyList<string> Events, bool Active, string? Secret)
{
    public int ConsecutiveFailures { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? PausedAt { get; init; }

    public static WebhookOut Of(Webhook w, bool withSecret = false) => new(w.Id, w.Url, w.EventList, w.Active, withSecret ? w.Secret : null)
    {
        ConsecutiveFailures = w.ConsecutiveFailures, CreatedAt = w.CreatedAt, PausedAt = w.PausedAt,
    };
}

public sealed record WebhookDeliveryOut(
    Guid Id, Guid WebhookId, string Event, Guid TicketId, WebhookDeliveryState Status, int Attempts, int? LastResponseCode,
    string? LastError, DateTime CreatedAt, DateTime? LastAttemptAt, DateTime NextAttemptAt, DateTime? DeliveredAt)
{
    public static WebhookDeliveryOut Of(WebhookDelivery d) => new(
        d.Id, d.WebhookId, d.Event, d.TicketId, d.State, d.Attempts, d.LastResponseCode, d.LastError, d.CreatedAt, d.LastAttemptAt,
        d.NextAttemptAt, d.DeliveredAt);
}

/// <summary>What the API and the admin page do to webhooks: the same validation and the same writes.</summary>
public sealed class WebhookStore(AppDbContext db, DestinationGuard guard, WebhookSignal signal, TimeProvider clock)
{
    public const int DeliveryLogSize = 100;

    public abstract record Outcome;
    public sealed record Saved(Webhook Webhook) : Outcome;
    public sealed record Invalid(FieldErrors Errors) : Outcome;
    public sealed record NotFound : Outcome;

    public Task<List<Webhook>> ListAsync(CancellationToken ct) =>
        db.Webhooks.AsNoTracking().OrderBy(w => w.CreatedAt).ToListAsync(ct);

    public Task<Webhook?> FindAsync(Guid id, CancellationToken ct) => db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);

    public async Task<Outcome> CreateAsync(WebhookRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var events = await WebhookInput.ValidateAsync(request, creating: true, guard, errors, ct);
        if (errors.Any)
        {
            return new Invalid(errors);
        }
        var hook = new Webhook
        {
            Id = Guid.CreateVersion7(),
            Url = request.Url!.Trim(),
            Events = events!,
            Active = request.Active ?? true,
            Secret = WebhookPayload.NewSecret(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Webhooks.Add(hook);
        await db.SaveChangesAsync(ct);
        return new Saved(hook);
    }

    public async Task<Outcome> UpdateAsync(Guid id, WebhookRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var events = await WebhookInput.ValidateAsync(request, creating: false, guard, errors, ct);
        if (errors.Any)
        {
            return new Invalid(errors);
        }
        if (await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, ct) is not { } hook)
        {
            return new NotFound();
        }
        hook.Url = request.Url?.Trim() ?? hook.Url;
        hook.Events = events ?? hook.Events;
        if (request.Active is { } active && active != hook.Active)
        {
            hook.Active = active;
            // Switched back on: a fresh run of failures, and what waited goes out now.
            hook.ConsecutiveFailures = 0;
            hook.PausedAt = null;
        }
        await db.SaveChangesAsync(ct);
        if (hook.Active)
        {
            signal.Notify();
        }
        return new Saved(hook);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct) =>
        await db.Webhooks.Where(w => w.Id == id).ExecuteDeleteAsync(ct) > 0; // its deliveries go with it (cascade)

    /// <summary>The webhook's newest deliveries, newest first; null when there is no such webhook.</summary>
    public async Task<List<WebhookDeliveryOut>?> DeliveriesAsync(Guid id, CancellationToken ct)
    {
        if (!await db.Webhooks.AnyAsync(w => w.Id == id, ct))
        {
            return null;
        }
        var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(DeliveryLogSize).ToListAsync(ct);
        return rows.Select(WebhookDeliveryOut.Of).ToList();
    }

    public abstract record RedeliverOutcome;
    public sealed record Requeued(WebhookDeliveryOut Delivery) : RedeliverOutcome;
    public sealed record Paused : RedeliverOutcome;
    public sealed record Missing : RedeliverOutcome;

    /// <summary>Sends a delivery again (same id and body), whatever its state, as soon as the dispatcher gets to it.</summary>
    public async Task<RedeliverOutcome> RedeliverAsync(Guid deliveryId, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null)
        {
            return new Missing();
        }
        if (!await db.Webhooks.AnyAsync(w => w.Id == delivery.WebhookId && w.Active, ct))
        {
            return new Paused();
        }
        delivery.State = WebhookDeliveryState.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = clock.GetUtcNow().UtcDateTime;
        delivery.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return new Requeued(WebhookDeliveryOut.Of(delivery));
    }
}
