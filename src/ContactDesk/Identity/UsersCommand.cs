using System.CommandLine;
using ContactDesk.Data;
using Microsoft.AspNetCore.Identity;

namespace ContactDesk.Identity;

/// <summary>
/// <c>ContactDesk users create --email E --password P --role admin|moderator|user [--name N]</c>:
/// the same program and configuration as the server, run as a command instead.
/// </summary>
public static class UsersCommand
{
    public static bool IsCommand(string[] args) => args is ["users", ..];

    public static Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var email = new Option<string>("--email") { Description = "Sign-in email of the new user", Required = true };
        var password = new Option<string>("--password") { Description = "Initial password", Required = true };
        var role = new Option<string>("--role") { Description = "admin, moderator or user", Required = true };
        role.AcceptOnlyFromAmong(Roles.All);
        var name = new Option<string?>("--name") { Description = "Display name (default: the part of the email before @)" };

        var create = new Command("create", "Create a user") { email, password, role, name };
        create.SetAction(async (parsed, ct) =>
        {
            try
            {
                await services.GetRequiredService<Hosting.StartupTasks>().PrepareAsync(ct);
            }
            catch (Hosting.StartupFailedException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

            var address = parsed.GetValue(email)!.Trim();
            if (!Hosting.FieldErrors.IsEmail(address))
            {
                Console.Error.WriteLine($"error: '{address}' is not a valid email address.");
                return 2;
            }
            var displayName = parsed.GetValue(name)?.Trim() is { Length: > 0 } n ? n : address.Split('@')[0];
            var outcome = await UserAccounts.CreateAsync(db, users, displayName, address, parsed.GetValue(password)!, parsed.GetValue(role)!);
            switch (outcome)
            {
                case UserAccounts.Created created:
                    Console.WriteLine($"Created {created.User.Roles[0]} {created.User.Email} ({created.User.Id}).");
                    return 0;
                case UserAccounts.EmailTaken:
                    Console.Error.WriteLine($"error: a user with the email '{address}' already exists.");
                    return 3;
                case UserAccounts.Rejected rejected:
                    foreach (var message in rejected.Errors.SelectMany(e => e.Value))
                    {
                        Console.Error.WriteLine($"error: {message}");
                    }
                    return 2;
                default:
                    return 1;
            }
        });

        var root = new RootCommand("ContactDesk: without arguments, runs the web service.")
        {
            new Command("users", "Manage users") { create },
        };
        return root.Parse(args).InvokeAsync();
    }
}
