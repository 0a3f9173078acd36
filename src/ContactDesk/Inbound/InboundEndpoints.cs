using System.Security.Cryptography;
using System.Text;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactDesk.Inbound;

/// <param name="State">received (being processed), processed, ignored or failed.</param>
public sealed record InboundOut(Guid Id, InboundState State);

/// <summary>
/// Marks an endpoint that is anonymous to the sign-in layer but guarded by a shared secret of its
/// own (the access matrix expects 401/404 from it, never the data).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedSecretAttribute : Attribute;

public static class InboundEndpoints
{
    public static IEndpointRouteBuilder MapInboundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/inbound/email", Receive)
            .AllowAnonymous() // the MTA or provider has no account: it proves itself with Email:Inbound:Token
            .WithMetadata(new SharedSecretAttribute())
            .WithMetadata(new OwnBodyLimit(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.Inbound.MaxMessageBytes))
            .Accepts(typeof(Stream), "message/rfc822")
            .WithTags("Email in").WithName("ReceiveEmail")
            .WithSummary("Ingest one raw email (an MTA's pipe or a provider's webhook)")
            .WithDescription("Body: the raw message. 'Authorization: Bearer <Email:Inbound:Token>'. 202 ingested; 200 already ingested (same Message-ID).")
            .ProducesProblem(StatusCodes.Status401Unauthorized) // a missing or wrong secret
            .ProducesProblem(StatusCodes.Status404NotFound) // no secret configured: receiving over HTTP is off
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapGet("/api/v1/contact/messages/{id:guid}/raw", Raw)
            .RequireAuthorization(Roles.AdminPolicy)
            .WithTags("Email in").WithName("RawMessage")
            .WithSummary("The raw email a thread message was made from (message/rfc822)")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "message/rfc822");
        return app;
    }

    private static async Task<Results<Accepted<InboundOut>, Ok<InboundOut>, ProblemHttpResult>> Receive(
        HttpRequest request, InboundStore store, IOptions<EmailOptions> options, CancellationToken ct)
    {
        if (options.Value.Inbound.Token is not { Length: > 0 } token)
        {
            return ProblemResponses.Problem(404, "Receiving email over HTTP is not configured (Email:Inbound:Token).");
        }
        if (!Authorized(request, token))
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return ProblemResponses.Problem(401, "Send 'Authorization: Bearer <Email:Inbound:Token>'.");
        }
        InboundStore.Outcome outcome;
        try
        {
            outcome = await store.StoreAsync(request.Body, InboundSource.Http, keepUnreadable: false, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            outcome = new InboundStore.TooLarge(options.Value.Inbound.MaxMessageBytes); // chunked, cut off by the server as it streamed
        }
        return outcome switch
        {
            InboundStore.Stored { New: true } stored => TypedResults.Accepted((string?)null, new InboundOut(stored.Id, stored.State)),
            InboundStore.Stored stored => TypedResults.Ok(new InboundOut(stored.Id, stored.State)),
            InboundStore.TooLarge tooLarge => ProblemResponses.Problem(413, $"The message is larger than {tooLarge.Max} bytes (Email:Inbound:MaxMessageBytes)."),
            InboundStore.NotAMessage notAMessage => ProblemResponses.Problem(400, notAMessage.Reason),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Compared in constant time (by their hashes, so the lengths give nothing away either).</summary>
    private static bool Authorized(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Raw(Guid id, AppDbContext db, HttpResponse response, CancellationToken ct)
    {
        var raw = await db.InboundEmails.AsNoTracking().Where(e => e.TicketMessageId == id).Select(e => e.Raw).FirstOrDefaultAsync(ct);
        if (raw is null)
        {
            return ProblemResponses.Problem(404, "No message made from an email has this id.");
        }
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(raw, "message/rfc822", $"{id}.eml");
    }
}
