using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Moderation;
using ContactDesk.Notifications;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Portal;

/// <summary>
/// The submitter's side of a ticket, shared by the portal page and API: reading the public thread,
/// resolving, reopening; and the moderator's "send a new link".
/// </summary>
public sealed class PortalTickets(AppDbContext db, TicketEditor editor, ThreadReader thread, EmailComposer composer, OutboxSignal signal, TimeProvider clock)
{
    public abstract record Outcome;
    public sealed record NotFound : Outcome;
    public sealed record Refused(string Reason) : Outcome;
    public sealed record Done(PortalTicketOut Ticket) : Outcome;

    /// <summary>The ticket a portal token opens; null for an unknown, revoked or malformed one.</summary>
    public Task<Guid?> FindAsync(string? token, CancellationToken ct) => PortalLinks.FindAsync(db, token, ct);

    /// <summary>The ticket's number, subject, status and public thread; null when it is gone.</summary>
    public async Task<PortalView?> ReadAsync(Guid ticketId, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId)
            .Select(t => new PortalTicketOut(t.TicketNumber, t.Subject, t.Status, t.CreatedAt)).SingleOrDefaultAsync(ct);
        if (ticket is null || await thread.ReadAsync(ticketId, publicOnly: true, ct) is not { } messages)
        {
            return null;
        }
        return new PortalView(ticket, messages.Select(PortalMessageOut.Of).ToList());
    }

    /// <summary>The signed-in account's own tickets (those it submitted while signed in), newest first.</summary>
    public async Task<List<PortalView>> MineAsync(Guid userId, CancellationToken ct)
    {
        var ids = await db.Tickets.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt).Select(t => t.Id).ToListAsync(ct);
        var views = new List<PortalView>(ids.Count);
        foreach (var id in ids)
        {
            if (await ReadAsync(id, ct) is { } view)
            {
                views.Add(view);
            }
        }
        return views;
    }

    /// <summary>"This is solved": the submitter resolves it (the usual resolution email follows, with a link to reopen).</summary>
    public Task<Outcome> ResolveAsync(Guid ticketId, CancellationToken ct) => EditAsync(ticketId, ticket =>
    {
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Archived)
        {
            return new TicketActions.Refused($"The ticket is already {WireNames.Of(ticket.Status)}.");
        }
        TicketActions.SetStatus(ticket, TicketStatus.Resolved, me: null, MessagePoster.Microseconds(clock.GetUtcNow().UtcDateTime));
        return new TicketActions.Changed();
    }, ct);

    /// <summary>"Reopen": a resolved ticket goes back to pending.</summary>
    public Task<Outcome> ReopenAsync(Guid ticketId, CancellationToken ct) => EditAsync(ticketId, ticket =>
    {
        if (ticket.Status != TicketStatus.Resolved)
        {
            return new TicketActions.Refused("Only a resolved ticket can be reopened.");
        }
        TicketActions.SetStatus(ticket, TicketStatus.Pending, me: null, MessagePoster.Microseconds(clock.GetUtcNow().UtcDateTime));
        return new TicketActions.Changed();
    }, ct);

    private async Task<Outcome> EditAsync(Guid ticketId, Func<Ticket, TicketActions.Outcome> action, CancellationToken ct) =>
        await editor.EditAsync(ticketId, action, ifMatch: null, ct) switch
        {
            TicketEditor.Refused refused => new Refused(refused.Reason),
            TicketEditor.Done => await ReadAsync(ticketId, ct) is { } view ? new Done(view.Ticket) : new NotFound(),
            _ => new NotFound(),
        };

    /// <summary>
    /// A moderator's "send a new link": every earlier link of the ticket stops working, and the new
    /// one is emailed to the submitter (threaded with the ticket's other emails). Null when there is no such ticket.
    /// </summary>
    public async Task<string?> NewLinkAsync(Guid ticketId, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await PortalLinks.RevokeAllAsync(db, ticketId, now, ct);
        var url = PortalLinks.Issue(db, composer.PublicBaseUrl, ticketId, now);
        var email = composer.Queue(EmailKind.PortalLink, ticket, ticket.Email, ticket.Name, now, url);
        EmailComposer.Thread(email, await TicketEmailInterceptor.ThreadIdsAsync(db, ticketId, ct));
        db.OutboxEmails.Add(email);
        TicketEmailInterceptor.Remember(db, email);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.Notify();
        return url;
    }
}
