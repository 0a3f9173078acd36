namespace ContactDesk.Tickets;

/// <summary>The last ticket number handed out on one UTC day.</summary>
public sealed class TicketCounter
{
    public DateOnly Day { get; set; }
    public int LastValue { get; set; }
}
