using System.Globalization;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Hosting.OpenApi;
using ContactDesk.Identity;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Notifications;

public sealed record EmailOut(
    Guid Id, EmailKind Kind, Guid TicketId, string TicketNumber, string To, string Subject, EmailState State, int Attempts,
    string MessageId, DateTime CreatedAt, DateTime NextAttemptAt, DateTime? SentAt, string? LastError);

public sealed record EmailPage(IReadOnlyList<EmailOut> Items, int Total, int Page, int PageSize, int TotalPages);

public sealed record EmailSummary(int Pending, int Sent, int Failed)
{
    /// <summary>Inbound emails kept but not ingested (unreadable, too large): see <c>inbound_emails</c>.</summary>
    public int InboundFailed { get; init; }
}

/// <summary>Admins see the outbox (above all the emails that could not be delivered) and re-queue them.</summary>
public static class EmailAdminEndpoints
{
    private const int PageSize = 50;

    public static RouteGroupBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/emails").WithTags("Email outbox").RequireAuthorization(Roles.AdminPolicy);
        group.MapGet("/", List).WithName("ListEmails").WithSummary("Outbox emails by state (default: failed), newest first");
        group.MapGet("/summary", Summary).WithName("EmailSummary").WithSummary("How many emails are pending, sent and failed");
        group.MapPost("/{id:guid}/requeue", Requeue).WithName("RequeueEmail").WithSummary("Send a failed email again")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<EmailPage>, ValidationProblem>> List(
        AppDbContext db, [FromQuery, OpenApiEnum(typeof(EmailState))] string? state, [FromQuery, OpenApiInteger(1, 1_000_000)] string? page, CancellationToken ct)
    {
        var wanted = EmailState.Failed;
        if (state is not null && !WireNames.TryParse(state, out wanted))
        {
            return ProblemResponses.Validation("state", $"Must be one of: {WireNames.AllOf<EmailState>()}.");
        }
        // Read as text, as the queue's parameters are: "abc" is a field error, not a binding failure.
        var number = 1;
        if (page is not null && !(int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is >= 1 and <= 1_000_000))
        {
            return ProblemResponses.Validation("page", "Must be a whole number from 1 to 1000000.");
        }
        var emails = db.OutboxEmails.AsNoTracking().Where(e => e.State == wanted);
        var total = await emails.CountAsync(ct);
        var items = await emails.OrderByDescending(e => e.CreatedAt).Skip((number - 1) * PageSize).Take(PageSize)
            .Select(e => new EmailOut(e.Id, e.Kind, e.TicketId, e.TicketNumber, e.ToAddress, e.Subject, e.State, e.Attempts,
                e.MessageId, e.CreatedAt, e.NextAttemptAt, e.SentAt, e.LastError))
            .ToListAsync(ct);
        return TypedResults.Ok(new EmailPage(items, total, number, PageSize, (total + PageSize - 1) / PageSize));
    }

    public static async Task<EmailSummary> CountAsync(AppDbContext db, CancellationToken ct)
    {
        var counts = await db.OutboxEmails.AsNoTracking().GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Of(EmailState state) => counts.FirstOrDefault(c => c.Key == state)?.Count ?? 0;
        var inboundFailed = await db.InboundEmails.CountAsync(e => e.State == Inbound.InboundState.Failed, ct);
        return new EmailSummary(Of(EmailState.Pending), Of(EmailState.Sent), Of(EmailState.Failed)) { InboundFailed = inboundFailed };
    }

    private static Task<EmailSummary> Summary(AppDbContext db, CancellationToken ct) => CountAsync(db, ct);

    /// <summary>Puts a failed email back in the queue; false when it is not (or no longer) failed.</summary>
    public static async Task<bool> RequeueAsync(AppDbContext db, OutboxSignal signal, Guid id, DateTime now, CancellationToken ct)
    {
        // Conditional: only a failed email goes back to pending, however many admins click at once.
        var requeued = await db.OutboxEmails.Where(e => e.Id == id && e.State == EmailState.Failed)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.State, EmailState.Pending)
                .SetProperty(x => x.Attempts, 0)
                .SetProperty(x => x.NextAttemptAt, now)
                .SetProperty(x => x.LockedUntil, (DateTime?)null), ct);
        if (requeued == 1)
        {
            signal.Notify();
        }
        return requeued == 1;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Requeue(
        Guid id, AppDbContext db, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (await RequeueAsync(db, signal, id, clock.GetUtcNow().UtcDateTime, ct))
        {
            return TypedResults.NoContent();
        }
        return await db.OutboxEmails.AnyAsync(e => e.Id == id, ct)
            ? ProblemResponses.Problem(409, "Only a failed email can be re-queued.")
            : ProblemResponses.Problem(404, "No email has this id.");
    }
}
