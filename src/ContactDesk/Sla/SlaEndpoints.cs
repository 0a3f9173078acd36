using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactDesk.Sla;

/// <summary><c>GET</c>/<c>PUT /api/v1/admin/sla</c>: the one SLA policy, for admins.</summary>
public static class SlaEndpoints
{
    public static RouteGroupBuilder MapSlaEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/sla").WithTags("SLA").RequireAuthorization(Roles.AdminPolicy);
        group.MapGet("/", Get).WithName("GetSlaPolicy").WithSummary("The SLA policy (the default until an admin saves one)");
        group.MapPut("/", Put).WithName("PutSlaPolicy").WithSummary("Replace the SLA policy; applies to tickets from their next change");
        return group;
    }

    private static async Task<Ok<SlaSettings>> Get(AppDbContext db, SlaPolicyStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.GetAsync(db, ct)).Settings);

    private static async Task<Results<Ok<SlaSettings>, ValidationProblem>> Put(
        SlaSettings settings, AppDbContext db, SlaPolicyStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (SlaValidator.Validate(settings, errors) is null)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        await store.SaveAsync(db, settings, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(settings);
    }
}
