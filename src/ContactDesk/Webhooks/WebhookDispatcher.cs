using System.Diagnostics.Metrics;
using System.Text;
using ContactDesk.Data;
using ContactDesk.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactDesk.Webhooks;

/// <summary>
/// Works the webhook outbox like <see cref="Notifications.EmailDispatcher"/> works the email one:
/// claims due deliveries under a lease (several instances share the work; a dead instance's
/// deliveries come back when the lease ends), posts each and records its outcome at once. A timeout,
/// a network error or a non-2xx answer is retried with exponential backoff; the webhook's run of
/// failures pauses it at <see cref="WebhookOptions.PauseAfterFailures"/>.
/// On shutdown it claims nothing more but finishes the batch it holds, each delivery sent and recorded
/// (none cut off mid-post by the stop signal, so none sent twice for want of a record); only when the
/// host's shutdown timeout runs out does it stop and hand the rest back at once.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, IOptionsMonitor<WebhookOptions> options, WebhookSignal signal, TimeProvider clock,
    IHttpClientFactory http, IMeterFactory meters, Notifications.EmailComposer composer, Notifications.OutboxSignal emailSignal,
    ILogger<WebhookDispatcher> log) : OutboxDispatcher
{
    public const string HttpClientName = "webhooks";

    private readonly Counter<long> deliveries = meters.Create(Operations.ContactDeskMetrics.MeterName)
        .CreateCounter<long>("contactdesk.webhook.deliveries", unit: "{attempt}", description: "Webhook delivery attempts by outcome (delivered, failed).");

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield(); // let the host finish starting first
        if (!options.CurrentValue.DispatchEnabled)
        {
            log.LogInformation("Webhook dispatch is disabled on this instance (Webhooks:DispatchEnabled=false).");
            return;
        }
        var databaseDown = false;
        while (!stopping.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            var claimed = 0;
            try
            {
                // The batch runs to its end even when stopping begins meanwhile.
                claimed = await DispatchBatchAsync(ShutdownTimedOut);
                databaseDown = false;
            }
            catch (OperationCanceledException) when (ShutdownTimedOut.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
            {
                if (!databaseDown)
                {
                    log.LogWarning("The database is unavailable ({Error}); webhook deliveries wait until it is back.", e.GetBaseException().Message);
                    databaseDown = true;
                }
            }
            catch (Exception e)
            {
                log.LogError(e, "Webhook dispatch failed; trying again in {Seconds} s.", settings.PollSeconds);
            }
            if (claimed < settings.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(settings.PollSeconds), stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Claims and sends one batch; returns how many deliveries it claimed.</summary>
    /// <param name="ct">The shutdown timeout: cancelled, the delivery in flight and the rest go back for the next claim.</param>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var leaseUntil = now.AddSeconds(settings.LeaseSeconds);
        var batch = await db.WebhookDeliveries.FromSqlRaw(ClaimSql(db), leaseUntil, now, settings.BatchSize).ToListAsync(ct);
        // An attempt must end before the lease does, or another instance could send the same delivery meanwhile.
        var startUntil = leaseUntil.AddSeconds(-settings.TimeoutSeconds - 1);
        var i = 0; // the deliveries before it have their outcome recorded
        try
        {
            for (; i < batch.Count; i++)
            {
                if (ct.IsCancellationRequested || clock.GetUtcNow().UtcDateTime > startUntil)
                {
                    log.LogInformation("{Reason}; releasing {Count} webhook deliveries for the next claim.",
                        ct.IsCancellationRequested ? "Shutdown timeout reached" : "Lease running out", batch.Count - i);
                    await ReleaseAsync(db, batch.Skip(i));
                    break;
                }
                await DeliverAsync(db, batch[i], settings, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cut off by the shutdown timeout: whether the receiver got the one in flight is unknown, so it is
            // sent again later (at least once); it and the rest go back at once instead of after the lease.
            await ReleaseAsync(db, batch.Skip(i));
            throw;
        }
        return batch.Count;
    }

    /// <summary>Parameters: {0} lease end, {1} now, {2} batch size. Deliveries of a paused webhook wait.</summary>
    private static string ClaimSql(AppDbContext db) => $"""
        UPDATE webhook_deliveries SET locked_until = {"{0}"}
        WHERE id IN (
            SELECT id FROM webhook_deliveries
            WHERE state = 'pending' AND next_attempt_at <= {"{1}"} AND (locked_until IS NULL OR locked_until < {"{1}"})
              AND webhook_id IN (SELECT id FROM webhooks WHERE active)
            ORDER BY next_attempt_at
            LIMIT {"{2}"}
            {db.RowLockForClaims})
        RETURNING *
        """;

    private async Task ReleaseAsync(AppDbContext db, IEnumerable<WebhookDelivery> rest)
    {
        foreach (var delivery in rest)
        {
            delivery.LockedUntil = null;
        }
        await SaveAsync(db);
    }

    private async Task DeliverAsync(AppDbContext db, WebhookDelivery delivery, WebhookOptions settings, CancellationToken ct)
    {
        var hook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.WebhookId);
        if (hook is not { Active: true })
        {
            delivery.LockedUntil = null; // paused (or deleted) since the claim: it waits
            await SaveAsync(db);
            return;
        }
        var (code, error) = await PostAsync(hook, delivery, settings, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastResponseCode = code;
        delivery.LastError = error is null ? null : error.Length <= 2000 ? error : error[..2000];
        delivery.LockedUntil = null;
        if (error is null)
        {
            delivery.State = WebhookDeliveryState.Delivered;
            delivery.DeliveredAt = now;
            deliveries.Add(1, new KeyValuePair<string, object?>("outcome", "delivered"));
            await db.Webhooks.Where(w => w.Id == hook.Id && w.ConsecutiveFailures != 0)
                .ExecuteUpdateAsync(w => w.SetProperty(x => x.ConsecutiveFailures, 0));
            await SaveAsync(db);
            log.LogInformation("Delivered {Event} {DeliveryId} to webhook {WebhookId} ({Code}, attempt {Attempt}).",
                delivery.Event, delivery.Id, hook.Id, code, delivery.Attempts);
            return;
        }

        deliveries.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        if (delivery.Attempts < settings.MaxAttempts)
        {
            var delay = Math.Min(settings.MaxRetrySeconds, settings.FirstRetrySeconds * Math.Pow(2, delivery.Attempts - 1));
            delivery.NextAttemptAt = now.AddSeconds(delay * (0.5 + Random.Shared.NextDouble())); // jitter spreads retries out
            log.LogWarning("Webhook {WebhookId} did not take {Event} {DeliveryId} (attempt {Attempt}): {Error}. Next try at {Next:o}.",
                hook.Id, delivery.Event, delivery.Id, delivery.Attempts, error, delivery.NextAttemptAt);
        }
        else
        {
            delivery.State = WebhookDeliveryState.Failed;
            log.LogError("Gave up on {Event} {DeliveryId} to webhook {WebhookId} after {Attempts} attempts: {Error}",
                delivery.Event, delivery.Id, hook.Id, delivery.Attempts, error);
        }
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Webhooks.Where(w => w.Id == hook.Id).ExecuteUpdateAsync(w => w.SetProperty(x => x.ConsecutiveFailures, x => x.ConsecutiveFailures + 1));
        // Conditional, so exactly one instance pauses it and tells the admins.
        var paused = await db.Webhooks.Where(w => w.Id == hook.Id && w.Active && w.ConsecutiveFailures >= settings.PauseAfterFailures)
            .ExecuteUpdateAsync(w => w.SetProperty(x => x.Active, false).SetProperty(x => x.PausedAt, now));
        if (paused == 1)
        {
            log.LogWarning("Paused webhook {WebhookId} ({Url}) after {Failures} consecutive failures.", hook.Id, hook.Url, settings.PauseAfterFailures);
            await WebhookPausedEmail.QueueAsync(db, composer, hook, settings.PauseAfterFailures, error, now);
        }
        await SaveAsync(db);
        await tx.CommitAsync();
        if (paused == 1)
        {
            emailSignal.Notify();
        }
    }

    private async Task<(int? Code, string? Error)> PostAsync(Webhook hook, WebhookDelivery delivery, WebhookOptions settings, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-ContactDesk-Event", delivery.Event);
        request.Headers.Add("X-ContactDesk-Delivery", delivery.Id.ToString());
        request.Headers.Add("X-ContactDesk-Signature", WebhookPayload.Sign(body, hook.Secret));
        request.Headers.UserAgent.ParseAdd("ContactDesk-Webhooks/1");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (code, null) : (code, $"answered {code} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (null, $"no answer within {settings.TimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return (null, e.InnerException is { } inner && !e.Message.Contains(inner.Message) ? $"{e.Message} {inner.Message}" : e.Message);
        }
    }

    private async Task SaveAsync(AppDbContext db)
    {
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear(); // the webhook was deleted meanwhile, its deliveries with it
        }
    }
}
