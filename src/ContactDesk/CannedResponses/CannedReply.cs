using ContactDesk.Data;
using ContactDesk.Tags;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.CannedResponses;

/// <summary>A canned response as a message uses it: its template, ready to render, and what it changes on the ticket.</summary>
public sealed record CannedReply(CannedTemplate Template, TicketStatus? SetStatus, IReadOnlyList<string> AddTags)
{
    /// <summary>The response if <paramref name="authorId"/> may use it (shared, or their own); else null.</summary>
    public static async Task<CannedReply?> FindAsync(AppDbContext db, Guid id, Guid authorId, CancellationToken ct)
    {
        var canned = await CannedResponseStore.VisibleTo(db, authorId).AsNoTracking()
            .Where(c => c.Id == id).Select(c => new { c.Body, c.SetStatus, c.AddTags }).SingleOrDefaultAsync(ct);
        return canned is null || CannedTemplate.Parse(canned.Body, out _) is not { } template
            ? null
            : new CannedReply(template, canned.SetStatus, TagNames.Split(canned.AddTags));
    }

    /// <summary>The caller's own text, then the rendered response. <paramref name="portalUrl"/> is only called when the template uses it.</summary>
    public string AppendTo(string ownText, Ticket ticket, string agentName, Func<string> portalUrl)
    {
        var rendered = Template.Render(CannedResponseStore.ValuesFor(ticket, agentName, Template.UsesPortalUrl ? portalUrl() : ""));
        return string.IsNullOrEmpty(ownText) ? rendered : $"{ownText}\n\n{rendered}";
    }
}
