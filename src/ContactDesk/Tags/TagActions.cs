using ContactDesk.Moderation;
using ContactDesk.Tickets;

namespace ContactDesk.Tags;

/// <summary>Tag changes to a tracked ticket, for PATCH, bulk, canned responses and rename; saving is the caller's.</summary>
public static class TagActions
{
    public static TicketActions.Outcome Set(Ticket ticket, IEnumerable<string> names)
    {
        var text = TagNames.Join(names.Distinct());
        if (text == ticket.Tags)
        {
            return new TicketActions.Unchanged();
        }
        ticket.Tags = text;
        return new TicketActions.Changed();
    }

    public static TicketActions.Outcome Add(Ticket ticket, IEnumerable<string> names) => Set(ticket, TagNames.Split(ticket.Tags).Union(names));

    public static TicketActions.Outcome Remove(Ticket ticket, string name) => Set(ticket, TagNames.Split(ticket.Tags).Where(n => n != name));

    /// <summary>Adds <paramref name="name"/> unless the ticket has its limit of tags already.</summary>
    public static TicketActions.Outcome AddOne(Ticket ticket, string name)
    {
        var current = TagNames.Split(ticket.Tags);
        if (!current.Contains(name) && current.Count >= TagNames.MaxPerTicket)
        {
            return new TicketActions.Refused($"The ticket has {TagNames.MaxPerTicket} tags already.");
        }
        return Add(ticket, [name]);
    }
}
