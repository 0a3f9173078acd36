using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactDesk.Webhooks;

/// <summary>Admins manage webhooks and read their delivery logs.</summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/webhooks").WithTags("Webhooks").RequireAuthorization(Roles.AdminPolicy);
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("Every webhook (without secrets)");
        group.MapPost("/", Create).WithName("CreateWebhook")
            .WithSummary("Add a webhook; the answer holds its signing secret, shown this once");
        group.MapPatch("/{id:guid}", Update).WithName("UpdateWebhook")
            .WithSummary("Change the URL, events or active; switching it on again clears its run of failures");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteWebhook").WithSummary("Delete a webhook and its delivery log");
        group.MapGet("/{id:guid}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary($"The webhook's newest deliveries (up to {WebhookStore.DeliveryLogSize}), newest first");
        group.MapPost("/deliveries/{delivery_id:guid}/redeliver", Redeliver).WithName("RedeliverWebhook")
            .WithSummary("Send a delivery again, with the same id and body")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Ok<List<WebhookOut>>> List(WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(w => WebhookOut.Of(w)).ToList());

    private static async Task<Results<Created<WebhookOut>, ValidationProblem>> Create(WebhookRequest request, WebhookStore store, CancellationToken ct) =>
        await store.CreateAsync(request, ct) switch
        {
            WebhookStore.Saved saved => TypedResults.Created($"/api/v1/admin/webhooks/{saved.Webhook.Id}", WebhookOut.Of(saved.Webhook, withSecret: true)),
            WebhookStore.Invalid invalid => ProblemResponses.Validation(invalid.Errors.ToDictionary()),
            _ => throw new InvalidOperationException(),
        };

    private static async Task<Results<Ok<WebhookOut>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, WebhookRequest request, WebhookStore store, CancellationToken ct) =>
        await store.UpdateAsync(id, request, ct) switch
        {
            WebhookStore.Saved saved => TypedResults.Ok(WebhookOut.Of(saved.Webhook)),
            WebhookStore.Invalid invalid => ProblemResponses.Validation(invalid.Errors.ToDictionary()),
            _ => ProblemResponses.Problem(404, "No webhook has this id."),
        };

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, WebhookStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : ProblemResponses.Problem(404, "No webhook has this id.");

    private static async Task<Results<Ok<List<WebhookDeliveryOut>>, ProblemHttpResult>> Deliveries(Guid id, WebhookStore store, CancellationToken ct) =>
        await store.DeliveriesAsync(id, ct) is { } deliveries ? TypedResults.Ok(deliveries) : ProblemResponses.Problem(404, "No webhook has this id.");

    private static async Task<Results<Accepted<WebhookDeliveryOut>, ProblemHttpResult>> Redeliver(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "delivery_id")] Guid deliveryId, WebhookStore store, CancellationToken ct) =>
        await store.RedeliverAsync(deliveryId, ct) switch
        {
            WebhookStore.Requeued requeued => TypedResults.Accepted((string?)null, requeued.Delivery),
            WebhookStore.Paused => ProblemResponses.Problem(409, "The webhook is paused; switch it on (active: true) first."),
            _ => ProblemResponses.Problem(404, "No delivery has this id."),
        };
}
