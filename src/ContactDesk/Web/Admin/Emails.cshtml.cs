using ContactDesk.Data;
using ContactDesk.Notifications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Web.Admin;

/// <summary>Emails that could not be delivered, with a way to send them again.</summary>
public sealed class EmailsModel(AppDbContext db, OutboxSignal signal, TimeProvider clock) : PageModel
{
    public IReadOnlyList<OutboxEmail> Failed { get; private set; } = [];
    public EmailSummary Summary { get; private set; } = new(0, 0, 0);

    [TempData] public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Summary = await EmailAdminEndpoints.CountAsync(db, ct);
        Failed = await db.OutboxEmails.AsNoTracking().Where(e => e.State == EmailState.Failed)
            .OrderByDescending(e => e.CreatedAt).Take(200).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostRequeueAsync(Guid id, CancellationToken ct)
    {
        Notice = await EmailAdminEndpoints.RequeueAsync(db, signal, id, clock.GetUtcNow().UtcDateTime, ct)
            ? "Queued again; it will be sent within moments."
            : "That email is no longer failed.";
        return RedirectToPage();
    }
}
