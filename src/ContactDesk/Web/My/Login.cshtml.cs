using ContactDesk.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.My;

/// <summary>
/// Cookie sign-in for any account (role user and above) to see its own tickets, under the same
/// lockout as the API. The admin pages stay refused to plain users: their policy asks for a staff role.
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, LoginAttempts attempts) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrWhiteSpace(Email) ? null : await users.FindByEmailAsync(Email.Trim());
        var (outcome, _) = user is null || string.IsNullOrEmpty(Password) ? (LoginAttempts.Outcome.Failed, null) : await attempts.CheckAsync(user, Password);
        if (outcome != LoginAttempts.Outcome.Success)
        {
            Error = outcome == LoginAttempts.Outcome.LockedOut ? "Too many failed sign-ins: the account is locked for a few minutes." : "Wrong email or password.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await signIn.SignInAsync(user!, isPersistent: false);
        return LocalRedirect("/my/tickets");
    }
}
