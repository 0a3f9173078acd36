using ContactDesk.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>A webhook's newest deliveries, each with a button to send it again.</summary>
public sealed class WebhookDeliveriesModel(WebhookStore store) : PageModel
{
    public Webhook Hook { get; private set; } = null!;
    public IReadOnlyList<WebhookDeliveryOut> Deliveries { get; private set; } = [];

    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } hook || await store.DeliveriesAsync(id, ct) is not { } deliveries)
        {
            return NotFound();
        }
        (Hook, Deliveries) = (hook, deliveries);
        return Page();
    }

    public async Task<IActionResult> OnPostRedeliverAsync(Guid id, Guid delivery, CancellationToken ct)
    {
        Notice = await store.RedeliverAsync(delivery, ct) switch
        {
            WebhookStore.Requeued => "Queued again; it will be sent within moments.",
            WebhookStore.Paused => "The webhook is paused: switch it on first.",
            _ => "That delivery no longer exists.",
        };
        return RedirectToPage(new { id });
    }
}
