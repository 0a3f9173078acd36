using ContactDesk.Hosting;

namespace ContactDesk.Webhooks;

/// <summary>A webhook as an admin sends it, by the API or the page; null means "not given" (in a PATCH: unchanged).</summary>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events, bool? Active);

/// <summary>The one validator of a webhook's URL and events, shared by the API and the admin page.</summary>
public static class WebhookInput
{
    /// <summary>Checks the fields given (all of them when <paramref name="creating"/>); returns the events normalised, or null if not given.</summary>
    public static async Task<string?> ValidateAsync(WebhookRequest request, bool creating, DestinationGuard guard, FieldErrors errors, CancellationToken ct)
    {
        if (request.Url is not null || creating)
        {
            if (await guard.CheckUrlAsync(request.Url?.Trim(), ct) is { } problem)
            {
                errors.Add("url", problem);
            }
        }
        if (request.Events is null)
        {
            if (creating)
            {
                errors.Add("events", $"Give at least one of: {string.Join(", ", WebhookEvents.All)}.");
            }
            return null;
        }
        var unknown = request.Events.Where(e => !WebhookEvents.All.Contains(e)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("events", $"Unknown event(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", WebhookEvents.All)}.");
        }
        else if (request.Events.Count == 0)
        {
            errors.Add("events", $"Give at least one of: {string.Join(", ", WebhookEvents.All)}.");
        }
        return WebhookEvents.Join(request.Events);
    }
}
