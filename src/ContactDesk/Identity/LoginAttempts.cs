using ContactDesk.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactDesk.Identity;

/// <summary>
/// A password check under Identity's lockout rules (<c>MaxFailedAccessAttempts</c> tries, then
/// <c>DefaultLockoutTimeSpan</c> locked), for the API's login and the admin sign-in page.
/// </summary>
/// <remarks>
/// Identity counts a failure by reading the user, adding one and saving with a concurrency stamp; of
/// many wrong passwords sent at once most saves fail and are dropped, so the account never locked
/// (20 at once let the right password in afterwards). Here each attempt is taken in one conditional
/// UPDATE before the password is even checked: however many arrive at once, on however many
/// instances, only the allowed number are ever checked, and the last one taken sets the lockout.
/// </remarks>
public sealed class LoginAttempts(AppDbContext db, UserManager<AppUser> users, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    public enum Outcome { Success, Failed, LockedOut }

    /// <returns>The outcome, and until when the account is locked (for Retry-After).</returns>
    public async Task<(Outcome Outcome, DateTimeOffset? LockedUntil)> CheckAsync(AppUser user, string password)
    {
        if (!user.LockoutEnabled)
        {
            return (await users.CheckPasswordAsync(user, password) ? Outcome.Success : Outcome.Failed, null);
        }

        if (!await TakeAttemptAsync(user.Id))
        {
            var state = await db.Users.Where(u => u.Id == user.Id).Select(u => new { u.LockoutEnd, u.ConcurrencyStamp }).SingleAsync();
            if (state.LockoutEnd > clock.GetUtcNow())
            {
                return (Outcome.LockedOut, state.LockoutEnd);
            }
            await ReopenAsync(user.Id, state.ConcurrencyStamp);
            if (!await TakeAttemptAsync(user.Id))
            {
                return (Outcome.LockedOut, await db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync());
            }
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            return (Outcome.Failed, null);
        }
        // The right password: the count starts over.
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.AccessFailedCount, 0)
            .SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null));
        return (Outcome.Success, null);
    }

    /// <summary>Counts one attempt unless the account has used them all; the last one locks it.</summary>
    private async Task<bool> TakeAttemptAsync(Guid id)
    {
        var max = identity.Value.Lockout.MaxFailedAccessAttempts;
        DateTimeOffset? until = clock.GetUtcNow() + identity.Value.Lockout.DefaultLockoutTimeSpan;
        var stamp = Guid.NewGuid().ToString(); // a new stamp: a concurrent Identity save of this user fails rather than undo the count
        return await db.Users.Where(u => u.Id == id && u.AccessFailedCount < max).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1)
            .SetProperty(u => u.LockoutEnd, u => u.AccessFailedCount + 1 >= max ? until : u.LockoutEnd)
            .SetProperty(u => u.ConcurrencyStamp, stamp)) == 1;
    }

    /// <summary>
    /// After a lockout has run out, gives the account its attempts back: only if nothing has changed
    /// since it was read as run out (the stamp), so that of many attempts at that moment only one
    /// resets the count, and a lockout that began meanwhile is never lifted.
    /// </summary>
    private Task<int> ReopenAsync(Guid id, string? stamp) =>
        db.Users.Where(u => u.Id == id && u.ConcurrencyStamp == stamp && u.AccessFailedCount >= identity.Value.Lockout.MaxFailedAccessAttempts)
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.AccessFailedCount, 0)
                .SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null)
                .SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()));
}
