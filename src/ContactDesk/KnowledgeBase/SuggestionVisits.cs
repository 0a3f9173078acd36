using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.KnowledgeBase;

/// <summary>
/// "Answered before a ticket": contact-form visits (a random id kept by the page for the browser
/// tab, no cookie) that opened a suggested article, and whether that visit then submitted the form.
/// </summary>
public sealed class SuggestionVisits(AppDbContext db, TimeProvider clock)
{
    public static bool IsVisitId(string? id) => id is { Length: >= 16 and <= 64 } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>Records the first opening of a suggestion in a visit; later ones change nothing.</summary>
    public async Task OpenedAsync(string visitId, CancellationToken ct)
    {
        if (await db.SuggestionVisits.AnyAsync(v => v.VisitId == visitId, ct))
        {
            return;
        }
        db.SuggestionVisits.Add(new SuggestionVisit { VisitId = visitId, OpenedAt = clock.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            // Two tabs' beacons at once: the visit is recorded either way.
        }
    }

    /// <summary>Marks a visit as ended in a ticket; a visit that opened no suggestion is not recorded at all.</summary>
    public Task SubmittedAsync(string? visitId, CancellationToken ct) =>
        IsVisitId(visitId)
            ? db.SuggestionVisits.Where(v => v.VisitId == visitId && v.SubmittedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.SubmittedAt, clock.GetUtcNow().UtcDateTime), ct)
            : Task.CompletedTask;

    /// <summary>Since <paramref name="since"/>: visits that opened a suggestion, and those of them that sent no ticket.</summary>
    public async Task<(int Opened, int Answered)> CountAsync(DateTime since, CancellationToken ct)
    {
        var opened = await db.SuggestionVisits.CountAsync(v => v.OpenedAt >= since, ct);
        var answered = await db.SuggestionVisits.CountAsync(v => v.OpenedAt >= since && v.SubmittedAt == null, ct);
        return (opened, answered);
    }
}
