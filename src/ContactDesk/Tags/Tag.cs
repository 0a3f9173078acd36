namespace ContactDesk.Tags;

/// <summary>A tag name and how many tickets carry it (kept by triggers on <c>ticket_tags</c>, see the Tags migrations).</summary>
public sealed class Tag
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int TicketCount { get; set; }
}

/// <summary>One ticket carrying one tag: the index that "tickets having all of these tags" is answered from.</summary>
public sealed class TicketTag
{
    public Guid TicketId { get; set; }
    public int TagId { get; set; }
}
