namespace ContactDesk.Webhooks;

/// <summary>Wakes this instance's webhook dispatcher when a delivery has just been queued.</summary>
public sealed class WebhookSignal : Notifications.OutboxSignal;
