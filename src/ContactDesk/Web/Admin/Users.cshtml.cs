using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Web.Admin;

/// <summary>Admins list the accounts, create moderators (or admins) and change roles.</summary>
public sealed class UsersModel(AppDbContext db, UserManager<AppUser> users) : PageModel
{
    public sealed record Row(Guid Id, string Name, string Email, string Role);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public FormErrors Errors { get; private set; } = FormErrors.None;
    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? NewEmail { get; set; }
    [BindProperty] public string? NewRole { get; set; } = Roles.Moderator;

    [TempData] public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string? newPassword, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = errors.Text("name", NewName, 255);
        var email = errors.Email("email", NewEmail);
        if (!Roles.All.Contains(NewRole))
        {
            errors.Add("role", "Choose a role.");
        }
        if (string.IsNullOrEmpty(newPassword))
        {
            errors.Add("password", "This field is required.");
        }
        if (!errors.Any)
        {
            switch (await UserAccounts.CreateAsync(db, users, name, email, newPassword!, NewRole!))
            {
                case UserAccounts.Created created:
                    Notice = $"Created {created.User.Roles[0]} {created.User.Email}.";
                    return RedirectToPage();
                case UserAccounts.EmailTaken:
                    errors.Add("email", "An account with this email already exists.");
                    break;
                case UserAccounts.Rejected rejected:
                    foreach (var (field, messages) in rejected.Errors)
                    {
                        foreach (var message in messages) errors.Add(field, message);
                    }
                    break;
            }
        }
        Errors = new(errors.ToDictionary());
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(Guid id, string? role, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null || !Roles.All.Contains(role))
        {
            return NotFound();
        }
        if (user.Id == User.GetId() && role != Roles.Admin)
        {
            Notice = "You cannot take away your own admin role; ask another admin.";
            return RedirectToPage();
        }
        await UserAccounts.ChangeRoleAsync(db, users, user, role!);
        Notice = $"{user.Email} is now {role}.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var roleNames = Roles.Seed.ToDictionary(r => r.Id, r => r.Name!);
        var accounts = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Name, u.Email, RoleIds = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).ToList() })
            .ToListAsync(ct);
        Rows = [.. accounts.Select(a => new Row(a.Id, a.Name, a.Email!, string.Join(", ", a.RoleIds.Select(r => roleNames[r]))))];
    }
}
