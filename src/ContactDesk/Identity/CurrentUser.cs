using System.Security.Claims;

namespace ContactDesk.Identity;

/// <summary>Reads who is calling, from a bearer token ("sub"/"name") or an Identity cookie (ClaimTypes.*).</summary>
public static class CurrentUser
{
    public static Guid? FindId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Guid GetId(this ClaimsPrincipal user) =>
        user.FindId() ?? throw new InvalidOperationException("The caller is not signed in.");

    public static string? FindName(this ClaimsPrincipal user) =>
        user.FindFirstValue("name") ?? user.FindFirstValue(ClaimTypes.Name);
}
