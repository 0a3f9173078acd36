using ContactDesk.Tickets;

namespace ContactDesk.Moderation;

/// <summary>
/// The moderation rules, applied to a tracked ticket. Each returns whether it changed the ticket or
/// why it could not; saving (and with it the version check, the audit and the emails) is the caller's.
/// Single-ticket endpoints and bulk actions share them.
/// </summary>
public static class TicketActions
{
    public abstract record Outcome;
    public sealed record Changed : Outcome;
    public sealed record Unchanged : Outcome;
    public sealed record Refused(string Reason) : Outcome;

    private static readonly Changed Done = new();
    private static readonly Unchanged Nothing = new();

    public static Outcome AssignToMe(Ticket ticket, Guid me)
    {
        if (ticket.AssignedToId == me)
        {
            return Nothing;
        }
        if (ticket.AssignedToId is not null)
        {
            return new Refused("The ticket is already assigned to someone else.");
        }
        if (ticket.Status == TicketStatus.Archived)
        {
            return new Refused("The ticket is archived; restore it first.");
        }
        ticket.AssignedToId = me;
        if (ticket.Status == TicketStatus.Pending)
        {
            ticket.Status = TicketStatus.InProgress;
        }
        return Done;
    }

    public static Outcome Resolve(Ticket ticket, Guid me, string? resolutionNotes, DateTime now)
    {
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Archived)
        {
            return new Refused($"The ticket is already {WireNames.Of(ticket.Status)}.");
        }
        if (resolutionNotes is not null)
        {
            ticket.ResolutionNotes = resolutionNotes;
        }
        SetStatus(ticket, TicketStatus.Resolved, me, now);
        return Done;
    }

    public static Outcome SetPriority(Ticket ticket, TicketPriority priority)
    {
        if (ticket.Priority == priority)
        {
            return Nothing;
        }
        ticket.Priority = priority;
        return Done;
    }

    public static Outcome Archive(Ticket ticket)
    {
        if (ticket.Status == TicketStatus.Archived)
        {
            return new Refused("The ticket is already archived.");
        }
        SetStatus(ticket, TicketStatus.Archived, me: null, now: default);
        return Done;
    }

    public static Outcome Restore(Ticket ticket)
    {
        if (ticket.Status != TicketStatus.Archived)
        {
            return new Refused("Only an archived ticket can be restored.");
        }
        SetStatus(ticket, ticket.StatusBeforeArchive ?? TicketStatus.Pending, me: null, now: default);
        return Done;
    }

    /// <summary>
    /// Moves the ticket to <paramref name="status"/>: entering resolved stamps who and when, reopening
    /// clears that, archiving remembers the status to return to, and returning to it changes nothing else.
    /// </summary>
    public static void SetStatus(Ticket ticket, TicketStatus status, Guid? me, DateTime now)
    {
        var from = ticket.Status;
        if (from == status)
        {
            return;
        }
        if (status == TicketStatus.Archived)
        {
            ticket.StatusBeforeArchive = from;
        }
        else
        {
            var returning = from == TicketStatus.Archived && ticket.StatusBeforeArchive == status;
            ticket.StatusBeforeArchive = null;
            if (!returning && status == TicketStatus.Resolved)
            {
                ticket.ResolvedAt = now;
                ticket.ResolvedById = me;
            }
            else if (!returning)
            {
                ticket.ResolvedAt = null;
                ticket.ResolvedById = null;
            }
        }
        ticket.Status = status;
        ticket.RefreshWaitingOn();
    }
}
