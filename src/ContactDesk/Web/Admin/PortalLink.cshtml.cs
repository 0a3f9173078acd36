using ContactDesk.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>
/// The ticket page's "Send a new portal link" (<c>_PortalLink.cshtml</c>) posts here: the same as
/// <c>POST /api/v1/contact/{id}/portal-link</c>, then back to the ticket with a notice.
/// </summary>
public sealed class PortalLinkModel(PortalTickets portal) : PageModel
{
    public IActionResult OnGet(Guid id) => Redirect($"/admin/contact/{id}");

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await portal.NewLinkAsync(id, ct) is null)
        {
            return NotFound();
        }
        TempData["Notice"] = "A new portal link was emailed to the submitter; earlier links no longer work.";
        return Redirect($"/admin/contact/{id}");
    }
}
