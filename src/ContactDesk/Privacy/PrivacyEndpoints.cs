using System.Security.Claims;
using ContactDesk.Attachments;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Privacy;

/// <summary>Data-protection requests (contract §12): everything about an address as a ZIP, and its erasure.</summary>
public static class PrivacyEndpoints
{
    public static RouteGroupBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/privacy").WithTags("Privacy").RequireAuthorization(Roles.AdminPolicy);
        group.MapGet("/export", Export).WithName("PrivacyExport")
            .WithSummary("Everything kept about an address, as a ZIP: data.json and the files")
            .WithDescription("data.json: the tickets of the address (matched ignoring case) with their messages (notes included), history, emails sent to the address, portal links and received emails; attachments/: the files; emails/: the received emails as .eml.")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/zip");
        group.MapPost("/erase", Erase).WithName("PrivacyErase")
            .WithSummary("Erase an address: its tickets stay as skeletons, everything personal goes")
            .WithDescription("Names, addresses, subjects, message bodies and notes become [erased]; files, received emails, portal links and unsent emails are deleted; sent emails and the audit trail are redacted; each ticket's history gets 'erased'. Repeating it answers zero counts.");
        return group;
    }

    /// <summary>The one check of the address, shared by the API and the admin page.</summary>
    public static string? Validate(string? email, FieldErrors errors)
    {
        var address = errors.Email("email", email);
        return errors.Any ? null : PersonalData.Normalize(address);
    }

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Export(
        [FromQuery] string? email, AppDbContext db, AttachmentStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (Validate(email, errors) is not { } address)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        return TypedResults.Stream(await ZipAsync(address, db, store, clock, ct), "application/zip", ZipName(clock));
    }

    /// <summary>
    /// The tickets are found before the response starts, so a database that is down still answers
    /// with its problem; the ZIP is then written straight to the response.
    /// </summary>
    public static async Task<Func<Stream, Task>> ZipAsync(string address, AppDbContext db, AttachmentStore store, TimeProvider clock, CancellationToken ct)
    {
        var ids = await PersonalData.TicketsOf(db, address).Select(t => t.Id).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return body => PrivacyExport.WriteAsync(db, store, address, ids, body, now, ct);
    }

    public static string ZipName(TimeProvider clock) => $"privacy-export-{clock.GetUtcNow():yyyyMMdd-HHmmss}.zip";

    private static async Task<Results<Ok<EraseResult>, ValidationProblem>> Erase(
        EraseRequest request, ClaimsPrincipal user, PrivacyEraser eraser, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (Validate(request.Email, errors) is not { } address)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(await eraser.EraseAsync(address, user, ct));
    }
}
