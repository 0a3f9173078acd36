using System.Text.Json.Nodes;
using ContactDesk.Attachments;
using ContactDesk.Audit;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Operations;
using ContactDesk.Tickets;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContactDesk.Notifications;

/// <summary>
/// Works the outbox: claims due emails (a lease, so several instances share the work and a dead
/// instance's emails come back), sends them over one connection per batch and records each outcome
/// at once, so a crash re-sends at most the one email in flight. Transient failures back off
/// exponentially with jitter; permanent ones (5xx) and exhausted ones are dead-lettered and noted in
/// the ticket's audit trail.
/// On shutdown it claims nothing more but finishes the batch it holds (no email is cut off mid-send
/// by the stop signal); only when the host's shutdown timeout runs out does it stop between emails
/// and hand the rest back at once.
/// </summary>
public sealed class EmailDispatcher(
    IServiceScopeFactory scopes, IOptionsMonitor<EmailOptions> options, OutboxSignal signal, TimeProvider clock, AttachmentStore attachments,
    ContactDeskMetrics metrics, ILogger<EmailDispatcher> log) : OutboxDispatcher
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // Everything before the first real wait would run inside the host's start-up (SQLite
        // answers synchronously), holding back the server: let it start first.
        await Task.Yield();
        if (!options.CurrentValue.Dispatch.Enabled)
        {
            log.LogInformation("Email dispatch is disabled on this instance (Email:Dispatch:Enabled=false).");
            return;
        }
        var databaseDown = false;
        while (!stopping.IsCancellationRequested)
        {
            var dispatch = options.CurrentValue.Dispatch;
            var claimed = 0;
            try
            {
                // The batch runs to its end even when stopping begins meanwhile.
                claimed = await DispatchBatchAsync(ShutdownTimedOut);
                if (databaseDown)
                {
                    log.LogInformation("The database is back; email dispatch goes on.");
                    databaseDown = false;
                }
            }
            catch (OperationCanceledException) when (ShutdownTimedOut.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
            {
                // An outage: one line when it starts, not a stack trace at every poll.
                if (!databaseDown)
                {
                    log.LogWarning("The database is unavailable ({Error}); queued emails wait until it is back.", e.GetBaseException().Message);
                    databaseDown = true;
                }
            }
            catch (Exception e)
            {
                log.LogError(e, "Email dispatch failed; trying again in {Seconds} s.", dispatch.PollSeconds);
            }
            if (claimed < dispatch.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(dispatch.PollSeconds), stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Claims and sends one batch; returns how many emails it claimed.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var leaseUntil = now.AddSeconds(settings.Dispatch.LeaseSeconds);
        var batch = await db.ClaimDueEmailsAsync(settings.Dispatch.BatchSize, now, leaseUntil, ct);
        if (batch.Count == 0)
        {
            return 0;
        }

        var i = 0; // the emails before it have their outcome recorded
        try
        {
            IMailConnection connection;
            try
            {
                connection = await MailTransport.OpenAsync(settings, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("Cannot reach the mail server ({Error}); {Count} emails wait for a retry.", e.Message, batch.Count);
                foreach (var email in batch)
                {
                    Failed(db, email, e, settings.Dispatch);
                }
                await db.SaveChangesAsync(CancellationToken.None);
                return batch.Count;
            }

            await using (connection)
            {
                // Stop short of the lease's end: after it, another instance may claim the rest and send them too.
                var sendUntil = leaseUntil.AddSeconds(-Math.Min(10, settings.Dispatch.LeaseSeconds / 3));
                for (; i < batch.Count; i++)
                {
                    if (clock.GetUtcNow().UtcDateTime > sendUntil || ct.IsCancellationRequested)
                    {
                        log.LogInformation("{Reason}; releasing {Count} emails for the next claim.",
                            ct.IsCancellationRequested ? "Shutdown timeout reached" : "Lease running out", batch.Count - i);
                        await ReleaseAsync(db, batch.Skip(i));
                        break;
                    }
                    await SendOneAsync(db, connection, batch[i], settings, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cut off by the shutdown timeout: whether the email in flight went out is unknown, so it is
            // sent again later (at least once); it and the rest go back at once instead of after the lease.
            await ReleaseAsync(db, batch.Skip(i));
            throw;
        }
        return batch.Count;
    }

    /// <summary>Sends one email and commits its outcome before the next send.</summary>
    private async Task SendOneAsync(AppDbContext db, IMailConnection connection, OutboxEmail email, EmailOptions settings, CancellationToken ct)
    {
        try
        {
            await connection.SendAsync(await BuildAsync(db, email, settings, ct), ct);
            email.State = EmailState.Sent;
            email.SentAt = clock.GetUtcNow().UtcDateTime;
            email.Attempts++;
            email.LockedUntil = null;
            email.LastError = null;
            metrics.EmailSent(email.Kind);
            log.LogInformation("Sent {Kind} email for {TicketNumber} to {To}, Message-ID {MessageId} (attempt {Attempt}).",
                email.Kind, email.TicketNumber, email.ToAddress, email.MessageId, email.Attempts);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Failed(db, email, e, settings.Dispatch);
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task ReleaseAsync(AppDbContext db, IEnumerable<OutboxEmail> emails)
    {
        foreach (var email in emails)
        {
            email.LockedUntil = null;
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private void Failed(AppDbContext db, OutboxEmail email, Exception error, DispatchOptions dispatch)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        email.Attempts++;
        email.LockedUntil = null;
        email.LastError = Truncate(Describe(error), 2000);
        var permanent = IsPermanent(error);
        if (!permanent && email.Attempts < dispatch.MaxAttempts)
        {
            var delay = Math.Min(dispatch.MaxRetrySeconds, dispatch.FirstRetrySeconds * Math.Pow(2, email.Attempts - 1));
            email.NextAttemptAt = now.AddSeconds(delay * (0.5 + Random.Shared.NextDouble())); // jitter spreads retries out
            log.LogWarning("Could not send {Kind} email for {TicketNumber}, Message-ID {MessageId} (attempt {Attempt}): {Error}. Next try at {Next:o}.",
                email.Kind, email.TicketNumber, email.MessageId, email.Attempts, email.LastError, email.NextAttemptAt);
            return;
        }

        email.State = EmailState.Failed;
        metrics.EmailFailed(email.Kind);
        log.LogError("Gave up on {Kind} email for {TicketNumber} to {To}, Message-ID {MessageId}, after {Attempts} attempts: {Error}",
            email.Kind, email.TicketNumber, email.ToAddress, email.MessageId, email.Attempts, email.LastError);
        RecordFailed(db, email, $"not delivered: {email.LastError}", now);
    }

    /// <summary>The ticket's history says that an email of it failed (given up on here, or bounced later: Inbound/Bounces).</summary>
    public static void RecordFailed(AppDbContext db, OutboxEmail email, string what, DateTime now) =>
        db.AuditEntries.Add(new AuditEntry
        {
            TicketId = email.TicketId,
            TicketNumber = email.TicketNumber,
            At = now,
            Action = "email_failed",
            Changes = new JsonObject
            {
                ["email"] = new JsonArray(null, $"{WireNames.Of(email.Kind)} email to {email.ToAddress} {what}"),
            }.ToJsonString(),
        });

    /// <summary>A 5xx answer (mailbox unknown, message refused) will not change by retrying; a broken message neither.</summary>
    private static bool IsPermanent(Exception error) => error switch
    {
        SmtpCommandException smtp => (int)smtp.StatusCode >= 500,
        ParseException or FormatException or ArgumentException => true,
        _ => false, // connection refused or lost, timeouts, 4xx: try again later
    };

    private static string Describe(Exception error) => error is SmtpCommandException smtp
        ? $"{(int)smtp.StatusCode} {smtp.Message}"
        : error.Message;

    private async Task<MimeMessage> BuildAsync(AppDbContext db, OutboxEmail email, EmailOptions settings, CancellationToken ct)
    {
        var body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody };
        if (email.TicketMessageId is { } messageId)
        {
            await ReplyAttachments.AddAsync(db, attachments, messageId, body.Attachments, ct);
        }
        var message = new MimeMessage
        {
            MessageId = email.MessageId,
            Date = DateTime.SpecifyKind(email.CreatedAt, DateTimeKind.Utc),
            Subject = email.Subject,
            Body = body.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(new MailboxAddress(EmailComposer.OneLine(email.ToName), email.ToAddress));
        message.Headers.Add("X-ContactDesk-Ticket", email.TicketNumber);
        if (email.InReplyTo is not null)
        {
            message.InReplyTo = email.InReplyTo;
            foreach (var id in MimeKit.Utils.MimeUtils.EnumerateReferences(email.ThreadReferences ?? ""))
            {
                message.References.Add(id);
            }
        }
        if (email.Kind == EmailKind.Reply)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(settings.ReplyTo));
        }
        if (email.Kind.AutoSubmitted() is { } auto)
        {
            message.Headers.Add("Auto-Submitted", auto);
        }
        return message;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
