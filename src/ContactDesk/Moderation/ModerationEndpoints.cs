using System.Security.Claims;
using System.Text.Json;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Hosting.OpenApi;
using ContactDesk.Identity;
using ContactDesk.Tags;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Moderation;

/// <param name="TotalIsExact">False when a search matched more tickets than it counts (<see cref="TicketCounts.SearchCountedUpTo"/>): there are then more than <paramref name="Total"/> tickets and at least <paramref name="TotalPages"/> pages.</param>
public sealed record TicketPage(IReadOnlyList<TicketOut> Items, int Total, int Page, int PageSize, int TotalPages, bool TotalIsExact);

public sealed record ResolveRequest(string? ResolutionNotes);

public sealed record BulkRequest(
    IReadOnlyList<Guid>? Ids,
    [property: OpenApiEnum(BulkAction.AssignToMe, BulkAction.Resolve, BulkAction.Archive, BulkAction.SetPriority, BulkAction.AddTag, BulkAction.RemoveTag)] string? Action,
    [property: OpenApiEnum("low", "normal", "high", "urgent"), System.ComponentModel.Description("For set_priority: the priority to set.")] string? Priority = null,
    [property: System.ComponentModel.Description("The tag, for add_tag and remove_tag.")] string? Tag = null);

public sealed record BulkResult(int Updated, int Skipped);

public static class ModerationEndpoints
{
    public const int BulkMax = 500;

    public static RouteGroupBuilder MapModerationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contact").WithTags("Moderation").RequireAuthorization(Roles.ModeratorPolicy);
        group.MapGet("/", List).WithName("ListTickets").WithSummary("The queue: filter, search, order, paginate");
        group.MapGet("/{id:guid}", Get).WithName("GetTicket").WithSummary("One ticket, with its ETag").WithTicketETag();
        group.MapGet("/by-ticket/{ticketNumber}", GetByNumber).WithName("GetTicketByNumber").WithSummary("One ticket by its number").WithTicketETag();
        group.MapPatch("/{id:guid}", Patch).WithName("UpdateTicket")
            .WithSummary("Change status, category, admin notes, assignee or tags; honours If-Match")
            .Accepts<TicketPatchBody>("application/json")
            .WithRequestHeader("If-Match", "The ETag of the ticket as last read: the change is refused with 412 when the ticket has changed since.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ChangesTicket();
        group.MapPost("/{id:guid}/assign-to-me", AssignToMe).WithName("AssignToMe").WithSummary("Claim the ticket").ChangesTicket();
        group.MapPost("/{id:guid}/mark-resolved", MarkResolved).WithName("MarkResolved").WithSummary("Resolve and email the submitter").ChangesTicket();
        group.MapPost("/{id:guid}/archive", Archive).WithName("Archive").WithSummary("Archive from any status").ChangesTicket();
        group.MapPost("/{id:guid}/restore", Restore).WithName("Restore").WithSummary("Return to the status before archiving").ChangesTicket();
        group.MapPost("/bulk", Bulk).WithName("Bulk").WithSummary("Apply one action to many tickets");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteTicket").WithSummary("Delete (admins only)")
            .RequireAuthorization(Roles.AdminPolicy);
        group.MapExport();
        group.MapStats();
        return group;
    }

    private static async Task<Results<Ok<TicketPage>, ValidationProblem>> List(
        [AsParameters] TicketQuery query, ClaimsPrincipal user, AppDbContext db, SearchTotalMemory searchTotals, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (TicketFilter.Parse(query, user.GetId(), errors) is not { } filter)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(await ReadPageAsync(db, filter, searchTotals, ct));
    }

    /// <summary>One page of the queue and its total: the API's list and the admin queue page.</summary>
    public static async Task<TicketPage> ReadPageAsync(AppDbContext db, TicketFilter filter, SearchTotalMemory searchTotals, CancellationToken ct)
    {
        // One pooled connection for the total and the page: the pool resets a connection each time
        // it is handed back (on PostgreSQL, seven statements), so once per request instead of twice.
        await db.Database.OpenConnectionAsync(ct);
        var total = await TicketCounts.TotalAsync(db, filter, searchTotals, ct);
        // The page's ids first, then their rows: skipping to a deep page then walks index entries
        // only, not the skipped tickets themselves.
        var matching = await filter.WhereAsync(db, forCounting: false, ct);
        var pageIds = filter.Order(matching).Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize).Select(t => t.Id);
        var items = await filter.Order(db.Tickets.AsNoTracking().Where(t => pageIds.Contains(t.Id)))
            .Select(TicketOut.Projection).ToListAsync(ct);
        // An inexact total means more than total.Value tickets: at least one page more than fills it.
        var pages = total.IsExact ? (total.Value + filter.PageSize - 1) / filter.PageSize : total.Value / filter.PageSize + 1;
        return new TicketPage(items, total.Value, filter.Page, filter.PageSize, pages, total.IsExact);
    }

    private static async Task<Results<Ok<TicketOut>, ProblemHttpResult>> Get(Guid id, TicketEditor editor, HttpResponse response, CancellationToken ct) =>
        WithETag(await editor.ReadAsync(id, ct), response);

    private static async Task<Results<Ok<TicketOut>, ProblemHttpResult>> GetByNumber(
        string ticketNumber, AppDbContext db, HttpResponse response, CancellationToken ct)
    {
        var number = ticketNumber.Trim().ToUpperInvariant();
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.TicketNumber == number).Select(TicketOut.Projection).SingleOrDefaultAsync(ct);
        return WithETag(ticket, response);
    }

    private static async Task<Results<Ok<TicketOut>, ValidationProblem, ProblemHttpResult>> Patch(
        Guid id, JsonElement body, ClaimsPrincipal user, HttpRequest request, AppDbContext db, TicketEditor editor,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (TicketPatch.Parse(body, errors) is not { } patch)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        if (patch.AssignedToId is { IsSet: true, Value: { } assignee } && !await Staff.IsStaffAsync(db, assignee, ct))
        {
            return ProblemResponses.Validation("assigned_to_id", "Must be the id of a moderator or admin.");
        }
        var me = user.GetId();
        var now = clock.GetUtcNow().UtcDateTime;
        return await Respond(id, await editor.EditAsync(id, t => patch.ApplyTo(t, me, now), IfMatch.From(request), ct), editor, request.HttpContext.Response, ct);
    }

    private static async Task<Results<Ok<TicketOut>, ValidationProblem, ProblemHttpResult>> AssignToMe(
        Guid id, ClaimsPrincipal user, TicketEditor editor, HttpResponse response, CancellationToken ct)
    {
        var me = user.GetId();
        return await Respond(id, await editor.EditAsync(id, t => TicketActions.AssignToMe(t, me), null, ct), editor, response, ct);
    }

    private static async Task<Results<Ok<TicketOut>, ValidationProblem, ProblemHttpResult>> MarkResolved(
        Guid id, ResolveRequest? body, ClaimsPrincipal user, TicketEditor editor, TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var notes = errors.OptionalText("resolution_notes", body?.ResolutionNotes, TicketPatch.NotesMax);
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        var me = user.GetId();
        var now = clock.GetUtcNow().UtcDateTime;
        var result = await editor.EditAsync(id, t => TicketActions.Resolve(t, me, notes, now), null, ct);
        return await Respond(id, result, editor, response, ct);
    }

    private static async Task<Results<Ok<TicketOut>, ValidationProblem, ProblemHttpResult>> Archive(
        Guid id, TicketEditor editor, HttpResponse response, CancellationToken ct) =>
        await Respond(id, await editor.EditAsync(id, TicketActions.Archive, null, ct), editor, response, ct);

    private static async Task<Results<Ok<TicketOut>, ValidationProblem, ProblemHttpResult>> Restore(
        Guid id, TicketEditor editor, HttpResponse response, CancellationToken ct) =>
        await Respond(id, await editor.EditAsync(id, TicketActions.Restore, null, ct), editor, response, ct);

    private static async Task<Results<Ok<BulkResult>, ValidationProblem>> Bulk(
        BulkRequest request, ClaimsPrincipal user, TicketEditor editor, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request.Ids is not { Count: > 0 and <= BulkMax })
        {
            errors.Add("ids", $"Send 1 to {BulkMax} ticket ids.");
        }
        var priority = BulkAction.Validate(request.Action, request.Priority, errors);
        var tag = BulkAction.Tagging.Contains(request.Action) ? TagNames.Normalize("tag", request.Tag, errors) : null;
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }

        var (updated, skipped) = await BulkAction.RunAsync(editor, request.Ids!, request.Action!, priority, user.GetId(), clock.GetUtcNow().UtcDateTime, ct, tag);
        return TypedResults.Ok(new BulkResult(updated, skipped));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, AppDbContext db, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null)
        {
            return NotFound();
        }
        db.Tickets.Remove(ticket);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<TicketOut>, ValidationProblem, ProblemHttpResult>> Respond(
        Guid id, TicketEditor.Result result, TicketEditor editor, HttpResponse response, CancellationToken ct)
    {
        switch (result)
        {
            case TicketEditor.NotFound:
                return NotFound();
            case TicketEditor.Stale:
                return ProblemResponses.Problem(412, "The ticket has changed since you read it; fetch it again for its current ETag.");
            case TicketEditor.Refused refused:
                return ProblemResponses.Problem(409, refused.Reason);
        }
        var ticket = await editor.ReadAsync(id, ct);
        if (ticket is null)
        {
            return NotFound(); // deleted in the meantime
        }
        response.Headers.ETag = ticket.ETag;
        return TypedResults.Ok(ticket);
    }

    private static Results<Ok<TicketOut>, ProblemHttpResult> WithETag(TicketOut? ticket, HttpResponse response)
    {
        if (ticket is null)
        {
            return NotFound();
        }
        response.Headers.ETag = ticket.ETag;
        return TypedResults.Ok(ticket);
    }

    private static RouteHandlerBuilder WithTicketETag(this RouteHandlerBuilder endpoint) =>
        endpoint.WithResponseHeader(StatusCodes.Status200OK, "ETag", "The ticket's version, for If-Match.");

    /// <summary>A change answers the ticket with its new ETag, or 409 when the ticket is not in a state for it.</summary>
    private static RouteHandlerBuilder ChangesTicket(this RouteHandlerBuilder endpoint) =>
        endpoint.WithTicketETag().ProducesProblem(StatusCodes.Status409Conflict);

    private static ProblemHttpResult NotFound() => ProblemResponses.Problem(404, "No ticket has this id.");
}
