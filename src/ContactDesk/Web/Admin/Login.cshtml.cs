using ContactDesk.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>Cookie sign-in for moderators and admins, with Identity's lockout.</summary>
public sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users) : PageModel
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
        var roles = await users.GetRolesAsync(user);
        if (!roles.Contains(Roles.Moderator) && !roles.Contains(Roles.Admin))
        {
            // Checked before the password so a plain account learns nothing and gets no cookie.
            return Refuse("This account has no access to the admin pages.");
        }
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Refuse("Too many failed sign-ins: the account is locked for a few minutes.");
        }
        if (!result.Succeeded)
        {
            return Refuse("Wrong email or password.");
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
    }

    private PageResult Refuse(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
