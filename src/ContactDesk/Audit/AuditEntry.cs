namespace ContactDesk.Audit;

/// <summary>
/// One change to a ticket. Deliberately not a foreign key to the ticket: the trail outlives it.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid TicketId { get; set; }
    public required string TicketNumber { get; set; }
    public DateTime At { get; set; }
    public Guid? ActorId { get; set; }
    public string? ActorName { get; set; }
    public required string Action { get; set; }

    /// <summary>JSON object <c>{field: [old, new]}</c>.</summary>
    public required string Changes { get; set; }
}
