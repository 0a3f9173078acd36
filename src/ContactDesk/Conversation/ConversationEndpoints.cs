using System.Security.Claims;
using ContactDesk.Attachments;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactDesk.Conversation;

public static class ConversationEndpoints
{
    public static RouteGroupBuilder MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contact").WithTags("Conversation").RequireAuthorization(Roles.ModeratorPolicy);
        group.MapGet("/{id:guid}/messages", List).WithName("ListMessages")
            .WithSummary("The ticket's thread, oldest first, internal notes included");
        group.MapGet("/{id:guid}/messages/{messageId:guid}", Get).WithName("GetMessage").WithSummary("One message of the thread");
        group.MapPost("/{id:guid}/messages", Post).WithName("PostMessage")
            .WithSummary("Reply to the submitter (emailed) or add an internal note; optionally change the status in the same step")
            .WithDescription("JSON {kind, body, status?, canned_response_id?} or multipart/form-data with the same fields and 'files' parts. "
                + "A canned response's rendered text follows the body (then optional) and its set_status and add_tags apply in the same transaction. "
                + "A reply that also resolves sends one email, the reply, saying the ticket is resolved.")
            .Accepts<MessageRequest>("application/json", JsonOrForm.FormType)
            .WithMetadata(new AcceptsUploadsAttribute())
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return group;
    }

    private static async Task<Results<Ok<List<MessageOut>>, ProblemHttpResult>> List(Guid id, ThreadReader reader, CancellationToken ct) =>
        await reader.ReadAsync(id, publicOnly: false, ct) is { } thread
            ? TypedResults.Ok(thread)
            : ProblemResponses.Problem(404, "No ticket has this id.");

    private static async Task<Results<Ok<MessageOut>, ProblemHttpResult>> Get(Guid id, Guid messageId, ThreadReader reader, CancellationToken ct) =>
        (await reader.ReadAsync(id, publicOnly: false, ct))?.FirstOrDefault(m => m.Id == messageId) is { } message
            ? TypedResults.Ok(message)
            : ProblemResponses.Problem(404, "This ticket has no message with this id.");

    private static async Task<Results<Created<MessageOut>, ValidationProblem, ProblemHttpResult>> Post(
        Guid id, HttpRequest request, ClaimsPrincipal user, MultipartUpload multipart, MessagePoster poster, CancellationToken ct)
    {
        var read = await FormBody.ReadAsync(request, multipart, MessageRequest.FieldNames, MessageRequest.FromFields, ct);
        switch (read)
        {
            case FormBody.Invalid<MessageRequest> invalid:
                return invalid.Problem;
            case FormBody.Refused<MessageRequest> refused:
                return refused.Problem;
        }
        var (body, upload) = (FormBody.Read<MessageRequest>)read;
        using (upload)
        {
            var errors = new FieldErrors();
            if (MessageValidator.Validate(body, upload.Files.Count, errors) is not { } message)
            {
                return ProblemResponses.Validation(errors.ToDictionary());
            }
            return await poster.PostAsync(id, message, upload.Files, user.GetId(), MessageSource.Api, ct) switch
            {
                MessagePoster.Posted posted => TypedResults.Created($"/api/v1/contact/{id}/messages/{posted.Message.Id}", posted.Message),
                MessagePoster.UnknownCannedResponse => ProblemResponses.Validation("canned_response_id", "No canned response you may use has this id."),
                _ => ProblemResponses.Problem(404, "No ticket has this id."),
            };
        }
    }
}
