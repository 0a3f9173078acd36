using ContactDesk.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>Webhooks: list, add (the secret shown once), change events or active, delete.</summary>
public sealed class WebhooksModel(WebhookStore store) : PageModel
{
    public IReadOnlyList<Webhook> Hooks { get; private set; } = [];
    public FormErrors Errors { get; private set; } = FormErrors.None;

    [BindProperty] public string? NewUrl { get; set; }
    [BindProperty] public List<string> NewEvents { get; set; } = [];

    [TempData] public string? Notice { get; set; }

    /// <summary>The secret of the webhook just created: in the one page view after creating it, never again.</summary>
    [TempData] public string? NewSecret { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        NewEvents = [.. WebhookEvents.All];
        Hooks = await store.ListAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        switch (await store.CreateAsync(new WebhookRequest(NewUrl, NewEvents, true), ct))
        {
            case WebhookStore.Saved saved:
                Notice = $"Webhook added for {saved.Webhook.Url}.";
                NewSecret = saved.Webhook.Secret;
                return RedirectToPage();
            case WebhookStore.Invalid invalid:
                Errors = new FormErrors(invalid.Errors.ToDictionary());
                break;
        }
        Hooks = await store.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(Guid id, List<string> events, bool active, CancellationToken ct)
    {
        Notice = await store.UpdateAsync(id, new WebhookRequest(null, events, active), ct) switch
        {
            WebhookStore.Saved saved => $"Saved {saved.Webhook.Url}{(saved.Webhook.Active ? "" : " (paused)")}.",
            WebhookStore.Invalid invalid => "Not saved: " + string.Join(" ", invalid.Errors.ToDictionary().SelectMany(e => e.Value)),
            _ => "That webhook no longer exists.",
        };
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        Notice = await store.DeleteAsync(id, ct) ? "Webhook deleted, with its delivery log." : "That webhook no longer exists.";
        return RedirectToPage();
    }
}
