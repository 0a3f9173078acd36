using System.Security.Claims;
using ContactDesk.Attachments;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Hosting.OpenApi;
using ContactDesk.Identity;
using ContactDesk.KnowledgeBase;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Submissions;

public static class SubmissionEndpoints
{
    public const int IdempotencyKeyMax = 255;

    public static RouteGroupBuilder MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contact").WithTags("Submissions");
        group.MapPost("/submit", Submit)
            .AllowAnonymous()
            .RequireRateLimiting(SubmitRateLimit.Policy)
            .RequireCors(Web.WebSetup.EmbedCorsPolicy) // the embeddable form (/embed.js) posts here from other sites
            .WithName("Submit")
            .WithSummary("Submit the contact form; creates a pending ticket")
            .WithDescription("JSON, or multipart/form-data with the same fields and 'files' parts (attachments of the first message). "
                + "Send an Idempotency-Key header to make retries safe: the same key and body return the same ticket.")
            .Accepts<SubmitRequest>("application/json", JsonOrForm.FormType)
            .WithMetadata(new AcceptsUploadsAttribute())
            .WithRequestHeader("Idempotency-Key", $"1 to {IdempotencyKeyMax} printable characters; the same key with another body is 409.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return group;
    }

    private static async Task<Results<Created<TicketOut>, ValidationProblem, ProblemHttpResult>> Submit(
        HttpRequest http,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal principal,
        AppDbContext db,
        TicketSubmitter submitter,
        MultipartUpload multipart,
        TimeProvider clock,
        SuggestionVisits visits,
        CancellationToken ct)
    {
        var read = await FormBody.ReadAsync(http, multipart, SubmitRequest.FieldNames, SubmitRequest.FromFields, ct);
        switch (read)
        {
            case FormBody.Invalid<SubmitRequest> invalid:
                return invalid.Problem;
            case FormBody.Refused<SubmitRequest> refused:
                return refused.Problem;
        }
        var (request, upload) = (FormBody.Read<SubmitRequest>)read;
        using (upload)
        {
            var result = await SubmitAsync(request, upload.Files, idempotencyKey, principal, db, submitter, clock, ct);
            if (result.Result is Created<TicketOut>)
            {
                await visits.SubmittedAsync(request.KbVisitId, ct);
            }
            return result;
        }
    }

    private static async Task<Results<Created<TicketOut>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        SubmitRequest request, IReadOnlyList<StagedFile> files, string? idempotencyKey, ClaimsPrincipal principal,
        AppDbContext db, TicketSubmitter submitter, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > IdempotencyKeyMax || idempotencyKey.Any(char.IsControl)))
        {
            errors.Add("Idempotency-Key", $"Must be 1 to {IdempotencyKeyMax} printable characters.");
        }

        var userId = principal.FindId();
        (string, string)? account = null;
        if (userId is not null && await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Name, u.Email }).SingleOrDefaultAsync(ct) is { } user)
        {
            account = (user.Name, user.Email!);
        }

        var submission = SubmissionValidator.Validate(request, account, errors);
        if (submission is null || errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        if (!string.IsNullOrEmpty(request.Website))
        {
            // As the HTML form does: the bot sees success and moves on; nothing is stored or emailed.
            var decoy = Decoy(submission, clock.GetUtcNow().UtcDateTime);
            return TypedResults.Created($"/api/v1/contact/{decoy.Id}", decoy);
        }

        return await submitter.SubmitAsync(submission, account is null ? null : userId, idempotencyKey, ct, MessageSource.Api, files) switch
        {
            TicketSubmitter.Accepted accepted => TypedResults.Created($"/api/v1/contact/{accepted.Ticket.Id}", accepted.Ticket),
            _ => ProblemResponses.Problem(409, "This Idempotency-Key was already used with a different request."),
        };
    }

    /// <summary>
    /// A ticket-shaped answer for a honeypot hit. Its counter is 0000, which no real ticket has (they
    /// count from 0001): should a person ever get one, support can tell it was never stored.
    /// </summary>
    private static TicketOut Decoy(Submission submission, DateTime now) => new(
        Guid.CreateVersion7(), $"CONT-{now:yyyyMMdd}-0000", submission.Name, submission.Email, submission.Subject,
        submission.Message, submission.Category, TicketStatus.Pending, null, null, null, null, null, now, now, null)
    {
        // As a real new ticket: its one message waits on the staff.
        WaitingOn = WaitingOn.Staff, MessageCount = 1, LastMessageAt = now,
    };
}
