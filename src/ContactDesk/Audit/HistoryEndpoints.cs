using System.Text.Json.Nodes;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Audit;

public sealed record HistoryEntryOut(DateTime At, ActorOut? Actor, string Action, JsonObject Changes);

public sealed record ActorOut(Guid Id, string? Name);

public static class HistoryEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contact").WithTags("Audit").RequireAuthorization(Roles.ModeratorPolicy);
        group.MapGet("/{id:guid}/history", History).WithName("TicketHistory")
            .WithSummary("The ticket's audit trail, oldest first; kept after the ticket is deleted");
        return group;
    }

    public static async Task<List<HistoryEntryOut>> ReadAsync(AppDbContext db, Guid ticketId, CancellationToken ct)
    {
        var entries = await db.AuditEntries.AsNoTracking().Where(a => a.TicketId == ticketId).OrderBy(a => a.Id).ToListAsync(ct);
        return entries.Select(a => new HistoryEntryOut(
            a.At,
            a.ActorId is { } id ? new ActorOut(id, a.ActorName) : null,
            a.Action,
            JsonNode.Parse(a.Changes)!.AsObject())).ToList();
    }

    private static async Task<Results<Ok<List<HistoryEntryOut>>, ProblemHttpResult>> History(Guid id, AppDbContext db, CancellationToken ct)
    {
        var history = await ReadAsync(db, id, ct);
        return history.Count == 0
            ? ProblemResponses.Problem(404, "No ticket has this id, and none ever had.")
            : TypedResults.Ok(history);
    }
}
