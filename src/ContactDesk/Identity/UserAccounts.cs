using ContactDesk.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Identity;

/// <summary>Creating an account, shared by <c>/auth/register</c> and the <c>users create</c> command.</summary>
public static class UserAccounts
{
    public abstract record Outcome;
    public sealed record Created(UserOut User) : Outcome;
    public sealed record EmailTaken : Outcome;
    public sealed record Rejected(IDictionary<string, string[]> Errors) : Outcome;

    public static async Task<Outcome> CreateAsync(AppDbContext db, UserManager<AppUser> users, string name, string email, string password, string role)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return new EmailTaken();
        }

        var user = new AppUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, Name = name };
        // Check the password first so a weak one leaves no half-made account behind.
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded)
            {
                return new Rejected(new Dictionary<string, string[]> { ["password"] = [.. check.Errors.Select(e => e.Description)] });
            }
        }

        // The user and its role are one change: no account is ever left without a role.
        await using var transaction = await db.Database.BeginTransactionAsync();
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user, password);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            // Someone registered the same email between the checks and this insert; the unique
            // index on the user name (the email) decided, so the email is taken: not a fault.
            return new EmailTaken();
        }
        if (!created.Succeeded)
        {
            return created.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                ? new EmailTaken()
                : new Rejected(new Dictionary<string, string[]> { ["email"] = [.. created.Errors.Select(e => e.Description)] });
        }
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            throw new InvalidOperationException($"Could not give the new user the role '{role}'.");
        }
        await transaction.CommitAsync();
        return new Created(new UserOut(user.Id, email, name, [role]));
    }

    /// <summary>Gives the user exactly one role; open sessions learn of it at their next security-stamp check.</summary>
    public static async Task ChangeRoleAsync(AppDbContext db, UserManager<AppUser> users, AppUser user, string role)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current));
        Check(await users.AddToRoleAsync(user, role));
        Check(await users.UpdateSecurityStampAsync(user));
        await transaction.CommitAsync();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
