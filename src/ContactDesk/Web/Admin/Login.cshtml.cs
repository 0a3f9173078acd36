using ContactDesk.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>Cookie sign-in for moderators and admins, under the same lockout as the API (<see cref="LoginAttempts"/>).</summary>
public sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, LoginAttempts attempts) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrWhiteSpace(Email) ? null : await users.FindByEmailAsync(Email.Trim());
        if (user is null || string.IsNullOrEmpty(Password))
        {
            return Refuse("Wrong email or password.");
        }
        // The password first, with the lockout: until it is right, an account with or without access
        // gets the same answer as no account at all, so the page cannot be used to find out who has one.
        var (outcome, _) = await attempts.CheckAsync(user, Password);
        if (outcome == LoginAttempts.Outcome.LockedOut)
        {
            return Refuse("Too many failed sign-ins: the account is locked for a few minutes.");
        }
        if (outcome != LoginAttempts.Outcome.Success)
        {
            return Refuse("Wrong email or password.");
        }
        var roles = await users.GetRolesAsync(user);
        if (!roles.Contains(Roles.Moderator) && !roles.Contains(Roles.Admin))
        {
            return Refuse("This account has no access to the admin pages."); // and gets no cookie
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
    }

    private PageResult Refuse(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
