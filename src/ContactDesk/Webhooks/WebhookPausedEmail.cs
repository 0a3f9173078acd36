using System.Net;
using ContactDesk.Data;
using ContactDesk.Notifications;

namespace ContactDesk.Webhooks;

/// <summary>Tells every admin, through the email outbox, that a webhook was paused after failing again and again.</summary>
public static class WebhookPausedEmail
{
    public static async Task QueueAsync(AppDbContext db, EmailComposer composer, Webhook hook, int failures, string lastError, DateTime now)
    {
        var page = $"{composer.PublicBaseUrl}/admin/webhooks";
        var subject = $"Webhook paused: {hook.Url}";
        var text = $"""
            The webhook {hook.Url} failed {failures} times in a row and has been paused; no events are sent to it until it is switched on again.

            Last error: {lastError}

            Deliveries queued meanwhile are kept and go out once it is active again. Look at its delivery log and switch it back on at {page}
            """;
        var html = $"""
            <p>The webhook <strong>{WebUtility.HtmlEncode(hook.Url)}</strong> failed {failures} times in a row and has been paused;
            no events are sent to it until it is switched on again.</p>
            <p>Last error: {WebUtility.HtmlEncode(lastError)}</p>
            <p>Deliveries queued meanwhile are kept and go out once it is active again. Look at its delivery log and switch it back on at
            <a href="{WebUtility.HtmlEncode(page)}">{WebUtility.HtmlEncode(page)}</a>.</p>
            """;
        foreach (var (email, name) in await TicketEmailInterceptor.AdminsAsync(db, CancellationToken.None))
        {
            db.OutboxEmails.Add(new OutboxEmail
            {
                Id = Guid.CreateVersion7(),
                Kind = EmailKind.WebhookPaused,
                TicketId = Guid.Empty, // about no ticket
                TicketNumber = "",
                ToAddress = email,
                ToName = name,
                MessageId = composer.NewMessageId(),
                Subject = subject,
                TextBody = text,
                HtmlBody = html,
                State = EmailState.Pending,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }
    }
}
