using ContactDesk.Identity;
using ContactDesk.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.My;

/// <summary>The signed-in account's own tickets with their public threads (as <c>GET /api/v1/me/tickets</c>).</summary>
[Authorize(Policy = PortalSetup.AccountPagesPolicy)]
public sealed class TicketsModel(PortalTickets portal, SignInManager<AppUser> signIn) : PageModel
{
    public List<PortalView> Tickets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Tickets = await portal.MineAsync(User.GetId(), ct);

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/my/login");
    }
}
