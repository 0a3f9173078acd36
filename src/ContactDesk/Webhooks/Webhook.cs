namespace ContactDesk.Webhooks;

/// <summary>An address that is told about ticket and message events, signed with its own secret.</summary>
public sealed class Webhook
{
    public Guid Id { get; set; }
    public required string Url { get; set; }

    /// <summary>The subscribed event names, space-separated (see <see cref="WebhookEvents"/>).</summary>
    public required string Events { get; set; }

    public bool Active { get; set; }

    /// <summary>The HMAC key; kept in clear because every delivery is signed with it, shown to an admin once.</summary>
    public required string Secret { get; set; }

    /// <summary>Deliveries that failed one after another; a success resets it, reaching the limit pauses the webhook.</summary>
    public int ConsecutiveFailures { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? PausedAt { get; set; }

    public IReadOnlyList<string> EventList => WebhookEvents.Split(Events);
}

/// <summary>One event owed to one webhook, written in the transaction of the change (the outbox of webhooks).</summary>
public sealed class WebhookDelivery
{
    /// <summary>Also the payload's <c>id</c> and <c>X-ContactDesk-Delivery</c>: the same for every attempt.</summary>
    public Guid Id { get; set; }
    public Guid WebhookId { get; set; }
    public required string Event { get; set; }
    public Guid TicketId { get; set; }

    /// <summary>The exact body sent (and signed), rendered when queued: it says what was true at the event.</summary>
    public required string Payload { get; set; }

    public WebhookDeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }

    /// <summary>Set while an instance is sending it; once past, another may claim it.</summary>
    public DateTime? LockedUntil { get; set; }

    /// <summary>The HTTP status of the last answer; null when there was none (timeout, refused, network error).</summary>
    public int? LastResponseCode { get; set; }
    public string? LastError { get; set; }
}

public enum WebhookDeliveryState { Pending, Delivered, Failed }

/// <summary>The event names a webhook may subscribe to.</summary>
public static class WebhookEvents
{
    public const string TicketCreated = "ticket.created";
    public const string TicketUpdated = "ticket.updated";
    public const string TicketResolved = "ticket.resolved";
    public const string MessageCreated = "message.created";

    public static readonly IReadOnlyList<string> All = [TicketCreated, TicketUpdated, TicketResolved, MessageCreated];

    public static IReadOnlyList<string> Split(string events) => events.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Join(IEnumerable<string> events) => string.Join(' ', All.Where(events.Contains));
}
