using System.Net;
using System.Net.Http.Json;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests;

/// <summary>Contract §1, <c>dotnet ContactDesk.dll users create ...</c>, each test on a brand-new database.</summary>
public abstract class UsersCommandTests
{
    private const string Password = "Correct-horse-9";

    protected abstract DatabaseProvider Provider { get; }

    /// <summary>A connection string for a database that does not exist yet.</summary>
    protected abstract string NewConnectionString();

    [Fact]
    public async Task Users_create_on_a_new_database_makes_a_user_who_can_log_in_with_that_role()
    {
        var database = NewConnectionString();
        var email = NewEmail();

        var result = await CreateUserAsync(database, "--email", email, "--password", Password, "--role", "admin", "--name", "Ada Admin");
        Assert.True(result.ExitCode == 0, result.ToString());

        await using var app = new AppOnDatabase(Provider, database);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await app.LoginAsync(email, Password));
        var me = await ResponseAssert.JsonAsync(await client.GetAsync("/api/v1/auth/me"), HttpStatusCode.OK);
        Assert.Equal(email, (string?)me["email"]);
        Assert.Equal("Ada Admin", (string?)me["name"]);
        Assert.Equal(["admin"], me["roles"]!.AsArray().Select(r => (string)r!));
    }

    [Theory]
    [InlineData("moderator")]
    [InlineData("user")]
    public async Task Users_create_gives_each_role_of_the_contract(string role)
    {
        var database = NewConnectionString();
        var email = NewEmail();

        var result = await CreateUserAsync(database, "--email", email, "--password", Password, "--role", role);
        Assert.True(result.ExitCode == 0, result.ToString());

        await using var app = new AppOnDatabase(Provider, database);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await app.LoginAsync(email, Password));
        var me = await ResponseAssert.JsonAsync(await client.GetAsync("/api/v1/auth/me"), HttpStatusCode.OK);
        Assert.Equal([role], me["roles"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public async Task Users_create_with_a_taken_email_fails_with_a_clear_message()
    {
        var database = NewConnectionString();
        var email = NewEmail();
        var first = await CreateUserAsync(database, "--email", email, "--password", Password, "--role", "admin");
        Assert.True(first.ExitCode == 0, first.ToString());

        var again = await CreateUserAsync(database, "--email", email.ToUpperInvariant(), "--password", "Another-pass-7", "--role", "user");
        Assert.True(again.ExitCode != 0, again.ToString());
        Assert.Contains("already exists", again.StdErr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(email, again.StdErr, StringComparison.OrdinalIgnoreCase);

        await using var app = new AppOnDatabase(Provider, database);
        Assert.Equal(1, await app.QueryAsync(db => db.Users.CountAsync()));
        await app.LoginAsync(email, Password); // the first account is untouched
    }

    [Fact]
    public async Task Users_create_with_a_weak_password_fails_with_a_clear_message_and_creates_nobody()
    {
        var database = NewConnectionString();
        var email = NewEmail();

        var result = await CreateUserAsync(database, "--email", email, "--password", "weak", "--role", "admin");
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("password", result.StdErr, StringComparison.OrdinalIgnoreCase);

        await using var app = new AppOnDatabase(Provider, database);
        Assert.Equal(0, await app.QueryAsync(db => db.Users.CountAsync()));
        var login = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = "weak" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Users_create_with_an_unknown_role_fails_with_a_clear_message()
    {
        var database = NewConnectionString();
        var result = await CreateUserAsync(database, "--email", NewEmail(), "--password", Password, "--role", "superuser");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("superuser", result.StdErr);
        Assert.Contains("admin", result.StdErr); // names the roles it would accept
    }

    [Fact]
    public async Task Users_create_with_an_invalid_email_fails_with_a_clear_message()
    {
        var result = await CreateUserAsync(NewConnectionString(), "--email", "not-an-email", "--password", Password, "--role", "admin");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("not-an-email", result.StdErr);
    }

    [Fact]
    public async Task Users_create_against_a_database_it_cannot_open_fails_with_one_clear_line()
    {
        var result = await CreateUserAsync(UnreachableConnectionString(), "--email", NewEmail(), "--password", Password, "--role", "admin");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Cannot start: the ", result.StdErr.Trim());
        Assert.DoesNotContain("   at ", result.StdErr); // no stack trace
        Assert.DoesNotContain("Unhandled", result.StdErr);
    }

    /// <summary>A database the command cannot open or create.</summary>
    protected abstract string UnreachableConnectionString();

    private Task<BuiltProgram.Result> CreateUserAsync(string connectionString, params string[] options) =>
        BuiltProgram.RunAsync(
            new Dictionary<string, string>
            {
                ["Database__Provider"] = Provider.ToString(),
                ["ConnectionStrings__Default"] = connectionString,
            },
            ["users", "create", .. options]);

    private static string NewEmail() => $"cli-{Guid.NewGuid():N}@example.com";
}

public sealed class UsersCommandTestsOnSqlite : UsersCommandTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    // In a folder that does not exist yet either.
    protected override string NewConnectionString() =>
        $"Data Source={Path.Combine(Path.GetTempPath(), $"contactdesk-cli-{Guid.NewGuid():N}", "data", "contactdesk.db")}";

    // A folder under a regular file can never be made.
    protected override string UnreachableConnectionString()
    {
        var file = Path.GetTempFileName();
        return $"Data Source={Path.Combine(file, "data", "contactdesk.db")}";
    }
}

public sealed class UsersCommandTestsOnPostgres : UsersCommandTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string NewConnectionString() => PostgresServer.Instance.ConnectionString($"contactdesk_cli_{Guid.NewGuid():N}");

    // A port where nothing listens.
    protected override string UnreachableConnectionString() =>
        new Npgsql.NpgsqlConnectionStringBuilder(NewConnectionString()) { Port = AppProcess.FreePort(), Timeout = 3 }.ConnectionString;
}
