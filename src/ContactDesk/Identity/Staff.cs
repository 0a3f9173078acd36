using ContactDesk.Data;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Identity;

/// <summary>Moderators and admins: the people a ticket can be assigned to.</summary>
public static class Staff
{
    private static readonly Guid[] RoleIds = [.. Roles.Seed.Where(r => r.Name is Roles.Moderator or Roles.Admin).Select(r => r.Id)];

    public static Task<bool> IsStaffAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.UserRoles.AnyAsync(ur => ur.UserId == userId && RoleIds.Contains(ur.RoleId), ct);

    public static Task<List<UserRef>> ListAsync(AppDbContext db, CancellationToken ct) =>
        db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && RoleIds.Contains(ur.RoleId)))
            .OrderBy(u => u.Name)
            .Select(u => new UserRef(u.Id, u.Name, u.Email!))
            .ToListAsync(ct);
}
