using System.Security.Claims;
using System.Text.Json;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.CannedResponses;

public static class CannedResponseEndpoints
{
    public static RouteGroupBuilder MapCannedResponseEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/canned-responses").WithTags("Canned responses").RequireAuthorization(Roles.ModeratorPolicy);
        group.MapGet("/", List).WithName("ListCannedResponses").WithSummary("The shared canned responses and your own, by title");
        group.MapPost("/", Create).WithName("CreateCannedResponse")
            .WithSummary("Save a canned response; shared ones are for admins to create")
            .Accepts<CannedResponseBody>("application/json");
        group.MapPatch("/{id:guid}", Update).WithName("UpdateCannedResponse")
            .WithSummary("Change a canned response; shared ones are for admins to change")
            .Accepts<CannedResponseBody>("application/json");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteCannedResponse")
            .WithSummary("Delete a canned response; shared ones are for admins to delete");
        group.MapGet("/{id:guid}/render", Render).WithName("RenderCannedResponse")
            .WithSummary("The body as it would be posted on a ticket (portal_url shown as a placeholder: the link is made when the message is posted)");
        // The reply box's preview (canned-picker.js), for a signed-in browser.
        app.MapGet("/admin/canned-responses/{id:guid}/render", Render).RequireAuthorization(Roles.ModeratorPagesPolicy).ExcludeFromDescription();
        return group;
    }

    private static async Task<Ok<List<CannedResponseOut>>> List(ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await CannedResponseStore.ListAsync(db, user.GetId(), ct));

    private static async Task<Results<Created<CannedResponseOut>, ValidationProblem, ProblemHttpResult>> Create(
        JsonElement body, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (CannedResponseStore.FromJson(body, errors)?.Validate(creating: true, errors) is not { } change)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        if (!CannedResponseStore.MayChange(user, change.Shared == true))
        {
            return Forbidden();
        }
        var canned = await CannedResponseStore.CreateAsync(db, change, user.GetId(), clock.GetUtcNow().UtcDateTime, ct);
        var created = (await CannedResponseStore.ReadAsync(db, user.GetId(), canned.Id, ct))!;
        return TypedResults.Created($"/api/v1/canned-responses/{canned.Id}", created);
    }

    private static async Task<Results<Ok<CannedResponseOut>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, JsonElement body, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (CannedResponseStore.FromJson(body, errors)?.Validate(creating: false, errors) is not { } change)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        var canned = await CannedResponseStore.VisibleTo(db, user.GetId()).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (canned is null)
        {
            return NotFound();
        }
        if (!CannedResponseStore.MayChange(user, canned.Shared || change.Shared == true))
        {
            return Forbidden();
        }
        change.ApplyTo(canned);
        canned.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await CannedResponseStore.ReadAsync(db, user.GetId(), id, ct))!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct)
    {
        var canned = await CannedResponseStore.VisibleTo(db, user.GetId()).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (canned is null)
        {
            return NotFound();
        }
        if (!CannedResponseStore.MayChange(user, canned.Shared))
        {
            return Forbidden();
        }
        db.CannedResponses.Remove(canned);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RenderedResponse>, ValidationProblem, ProblemHttpResult>> Render(
        Guid id, [FromQuery(Name = "ticket_id")] string? ticketId, ClaimsPrincipal user, AppDbContext db, EmailComposer composer,
        CancellationToken ct)
    {
        if (!Guid.TryParse(ticketId, out var ticketGuid))
        {
            return ProblemResponses.Validation("ticket_id", "Must be a ticket id.");
        }
        var me = user.GetId();
        var body = await CannedResponseStore.VisibleTo(db, me).Where(c => c.Id == id).Select(c => c.Body).SingleOrDefaultAsync(ct);
        if (body is null)
        {
            return NotFound();
        }
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == ticketGuid, ct);
        if (ticket is null)
        {
            return ProblemResponses.Problem(404, "No ticket has this id.");
        }
        var agent = await db.Users.Where(u => u.Id == me).Select(u => u.Name).SingleAsync(ct);
        var template = CannedTemplate.Parse(body, out _)!;
        // A preview stores nothing: the portal link (a new token) is made when the message is posted.
        var values = CannedResponseStore.ValuesFor(ticket, agent, $"{composer.PublicBaseUrl}/t/…");
        return TypedResults.Ok(new RenderedResponse(template.Render(values)));
    }

    private static ProblemHttpResult NotFound() => ProblemResponses.Problem(404, "No canned response has this id.");

    private static ProblemHttpResult Forbidden() => ProblemResponses.Problem(403, "Only admins create and change shared canned responses.");
}
