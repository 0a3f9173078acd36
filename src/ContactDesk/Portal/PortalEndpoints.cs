using System.Security.Claims;
using ContactDesk.Attachments;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactDesk.Portal;

/// <summary>Contract §9: the portal API (the link's token is the only credential), the moderator's new link, and "my tickets".</summary>
public static class PortalEndpoints
{
    private const string UnknownLink = "No ticket has this link; it may have been replaced by a newer one.";

    public static RouteGroupBuilder MapPortalEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/portal/{token}").WithTags("Portal").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("", Get).WithName("GetPortalTicket").WithSummary("The ticket a portal link opens, with its public thread");
        group.MapPost("/messages", Post).WithName("PostPortalMessage")
            .WithSummary("The submitter's message (source portal): the ticket waits on staff again, a resolved one is reopened")
            .WithDescription("JSON {body} or multipart/form-data with 'body' and 'files' parts. Counts against the submit rate limit.")
            .Accepts<PortalMessageRequest>("application/json", JsonOrForm.FormType)
            .WithMetadata(new AcceptsUploadsAttribute())
            .RequireRateLimiting(SubmitRateLimit.Policy)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/resolve", Resolve).WithName("ResolvePortalTicket").WithSummary("\"This is solved\"")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/reopen", Reopen).WithName("ReopenPortalTicket").WithSummary("Reopen a resolved ticket (back to pending)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/attachments/{id:guid}", Download).WithName("DownloadPortalAttachment")
            .WithSummary("A file of the ticket's public thread, always as a download")
            .ProducesFile();

        app.MapPost("/api/v1/contact/{id:guid}/portal-link", NewLink).RequireAuthorization(Roles.ModeratorPolicy).WithTags("Portal")
            .WithName("NewPortalLink").WithSummary("Issue a new portal link (revoking every earlier one) and email it to the submitter")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/me/tickets", Mine).RequireAuthorization(PortalSetup.AccountPolicy).WithTags("Portal")
            .WithName("MyTickets").WithSummary("The caller's own tickets (submitted while signed in), newest first, with their public threads");
        return group;
    }

    private static async Task<Results<Ok<PortalView>, ProblemHttpResult>> Get(string token, PortalTickets portal, CancellationToken ct) =>
        await portal.FindAsync(token, ct) is { } id && await portal.ReadAsync(id, ct) is { } view
            ? TypedResults.Ok(view)
            : ProblemResponses.Problem(404, UnknownLink);

    private static async Task<Results<Created<PortalMessageOut>, ValidationProblem, ProblemHttpResult>> Post(
        string token, HttpRequest request, MultipartUpload multipart, PortalTickets portal, SubmitterMessagePoster poster, CancellationToken ct)
    {
        // The token first: a stranger's upload is not even read.
        if (await portal.FindAsync(token, ct) is not { } ticketId)
        {
            return ProblemResponses.Problem(404, UnknownLink);
        }
        var read = await FormBody.ReadAsync(request, multipart, PortalMessageRequest.FieldNames, PortalMessageRequest.FromFields, ct);
        switch (read)
        {
            case FormBody.Invalid<PortalMessageRequest> invalid:
                return invalid.Problem;
            case FormBody.Refused<PortalMessageRequest> refused:
                return refused.Problem;
        }
        var (body, upload) = (FormBody.Read<PortalMessageRequest>)read;
        using (upload)
        {
            var errors = new FieldErrors();
            var text = MessageValidator.Body(body.Body, upload.Files.Count, errors);
            if (errors.Any)
            {
                return ProblemResponses.Validation(errors.ToDictionary());
            }
            var result = PortalPost.IsBot(body)
                ? PortalPost.Decoy(ticketId, text)
                : await poster.PostAsync(new SubmitterMessage(ticketId, text, MessageSource.Portal) { Files = upload.Files }, ct);
            return result switch
            {
                SubmitterMessagePoster.Posted posted => TypedResults.Created(
                    $"/api/v1/portal/{Uri.EscapeDataString(token)}/messages/{posted.Message.Id}", PortalMessageOut.Of(posted.Message)),
                SubmitterMessagePoster.Archived => ProblemResponses.Problem(409, PortalPost.ArchivedReason),
                _ => ProblemResponses.Problem(404, UnknownLink),
            };
        }
    }

    private static Task<Results<Ok<PortalTicketOut>, ProblemHttpResult>> Resolve(string token, PortalTickets portal, CancellationToken ct) =>
        ChangeAsync(token, portal, portal.ResolveAsync, ct);

    private static Task<Results<Ok<PortalTicketOut>, ProblemHttpResult>> Reopen(string token, PortalTickets portal, CancellationToken ct) =>
        ChangeAsync(token, portal, portal.ReopenAsync, ct);

    private static async Task<Results<Ok<PortalTicketOut>, ProblemHttpResult>> ChangeAsync(
        string token, PortalTickets portal, Func<Guid, CancellationToken, Task<PortalTickets.Outcome>> change, CancellationToken ct)
    {
        if (await portal.FindAsync(token, ct) is not { } ticketId)
        {
            return ProblemResponses.Problem(404, UnknownLink);
        }
        return await change(ticketId, ct) switch
        {
            PortalTickets.Done done => TypedResults.Ok(done.Ticket),
            PortalTickets.Refused refused => ProblemResponses.Problem(409, refused.Reason),
            _ => ProblemResponses.Problem(404, UnknownLink),
        };
    }

    /// <summary>Only the files of this ticket's public messages: another ticket's file, or a note's, is 404 like an unknown one.</summary>
    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        string token, Guid id, PortalTickets portal, AppDbContext db, AttachmentStore store, HttpResponse response, CancellationToken ct)
    {
        if (await portal.FindAsync(token, ct) is not { } ticketId)
        {
            return ProblemResponses.Problem(404, UnknownLink);
        }
        var files = db.MessageAttachments.Where(a => a.Id == id
            && db.Messages.Any(m => m.Id == a.MessageId && m.TicketId == ticketId && m.Kind != MessageKind.Note));
        return await AttachmentEndpoints.ServeAsync(files, db, store, response, ct);
    }

    private static async Task<Results<Ok<PortalLinkOut>, ProblemHttpResult>> NewLink(Guid id, PortalTickets portal, CancellationToken ct) =>
        await portal.NewLinkAsync(id, ct) is { } url
            ? TypedResults.Ok(new PortalLinkOut(url))
            : ProblemResponses.Problem(404, "No ticket has this id.");

    private static async Task<Ok<List<PortalView>>> Mine(ClaimsPrincipal user, PortalTickets portal, CancellationToken ct) =>
        TypedResults.Ok(await portal.MineAsync(user.GetId(), ct));
}

public sealed record PortalLinkOut(string Url);
