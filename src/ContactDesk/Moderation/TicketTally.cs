using ContactDesk.Tickets;

namespace ContactDesk.Moderation;

/// <summary>
/// A change to the number of tickets in one cell (status, category, assignee), and to the
/// resolution time summed over resolved tickets. Database triggers on <c>tickets</c> append one row
/// per change, so the exact counts are the sums over this small table: the queue's <c>total</c> and
/// the statistics never count a million tickets. Submissions only ever insert here (no row is
/// updated, so none is locked until another's commit); <see cref="TallyCompactor"/> folds the rows
/// into one per cell now and then.
/// </summary>
public sealed class TicketTally
{
    public long Id { get; set; }
    public TicketStatus Status { get; set; }
    public TicketCategory Category { get; set; }

    /// <summary>The assignee; null for unassigned tickets. No foreign key: it only labels a count.</summary>
    public Guid? AssignedToId { get; set; }

    /// <summary>+1 for a ticket entering the cell, -1 for one leaving it.</summary>
    public int Tickets { get; set; }

    /// <summary>The same for tickets with a <c>resolved_at</c>.</summary>
    public int Resolved { get; set; }

    /// <summary>The same for <c>resolved_at - created_at</c>, in seconds.</summary>
    public double ResolutionSeconds { get; set; }
}
