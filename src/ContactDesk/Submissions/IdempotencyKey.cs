namespace ContactDesk.Submissions;

/// <summary>An <c>Idempotency-Key</c> seen on <c>/submit</c>, with the request it stood for.</summary>
public sealed class IdempotencyKey
{
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public Guid TicketId { get; set; }
    public DateTime CreatedAt { get; set; }
}
