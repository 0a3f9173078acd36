using ContactDesk.Data;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>The environment an operator would give an app process (<see cref="AppProcess"/>) in the fault tests.</summary>
public static class AppEnvironment
{
    /// <summary>
    /// The app on <paramref name="database"/>, its rate limit off, sending email to <paramref name="smtp"/>
    /// with fast retries (or into a pickup folder of its own when there is no SMTP server).
    /// </summary>
    public static Dictionary<string, string> For(DatabaseProbe database, TestSmtpServer? smtp = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = database.Provider.ToString(),
            ["ConnectionStrings__Default"] = database.ConnectionString,
            ["RateLimiting__Submit__PermitLimit"] = "0",
            ["RateLimiting__Portal__PermitLimit"] = "0",
            ["Email__PickupDirectory"] = Directory.CreateTempSubdirectory("contactdesk-mail-").FullName,
        };
        if (smtp is not null)
        {
            foreach (var (key, value) in IMailApp.Settings(smtp))
            {
                settings[key.Replace(":", "__")] = value!;
            }
        }
        return settings;
    }

    /// <summary>Creates an account with the built program's <c>users create</c>, as an operator does.</summary>
    public static async Task<(string Email, string Password)> CreateUserAsync(IReadOnlyDictionary<string, string> environment, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        const string password = "Correct-horse-9";
        var result = await BuiltProgram.RunAsync(environment, "users", "create", "--email", email, "--password", password, "--role", role);
        Assert.True(result.ExitCode == 0, result.ToString());
        return (email, password);
    }
}
