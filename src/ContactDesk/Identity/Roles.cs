using Microsoft.AspNetCore.Identity;

namespace ContactDesk.Identity;

public static class Roles
{
    public const string User = "user";
    public const string Moderator = "moderator";
    public const string Admin = "admin";

    public static readonly string[] All = [User, Moderator, Admin];

    /// <summary>Authorization policies: an admin can do all a moderator can.</summary>
    public const string ModeratorPolicy = "moderator";
    public const string AdminPolicy = "admin";

    /// <summary>The same two rules for the admin pages, which sign in with a cookie instead of a token.</summary>
    public const string ModeratorPagesPolicy = "moderator-pages";
    public const string AdminPagesPolicy = "admin-pages";

    /// <summary>Seeded by the migrations, with fixed ids so every database agrees.</summary>
    public static readonly IdentityRole<Guid>[] Seed =
    [
        new() { Id = Guid.Parse("5b0c2f5e-0000-4000-8000-000000000001"), Name = User, NormalizedName = "USER", ConcurrencyStamp = "user" },
        new() { Id = Guid.Parse("5b0c2f5e-0000-4000-8000-000000000002"), Name = Moderator, NormalizedName = "MODERATOR", ConcurrencyStamp = "moderator" },
        new() { Id = Guid.Parse("5b0c2f5e-0000-4000-8000-000000000003"), Name = Admin, NormalizedName = "ADMIN", ConcurrencyStamp = "admin" },
    ];
}
