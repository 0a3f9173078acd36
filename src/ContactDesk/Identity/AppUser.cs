using Microsoft.AspNetCore.Identity;

namespace ContactDesk.Identity;

public sealed class AppUser : IdentityUser<Guid>
{
    public string Name { get; set; } = "";
}
