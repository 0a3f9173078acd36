using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The real app in memory (WebApplicationFactory) on a real database of its own: one per test
/// class and provider. Tests talk to it over HTTP only, and read the database only to check
/// that nothing was stored.
/// </summary>
public abstract class ContactDeskApp : WebApplicationFactory<Program>
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public abstract DatabaseProvider Provider { get; }

    protected abstract string ConnectionString { get; }

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("contactdesk-test-").FullName;

    /// <summary>Configuration the tests change; the rate limit is off unless a test turns it on.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Database:Provider", Provider.ToString()),
        new("ConnectionStrings:Default", ConnectionString),
        new("RateLimiting:Submit:PermitLimit", "0"),
        new("RateLimiting:Portal:PermitLimit", "0"),
        new("RateLimiting:Suggest:PermitLimit", "0"),
        new("Email:PickupDirectory", Path.Combine(DataDirectory, "mail")),
        new("Attachments:Path", Path.Combine(DataDirectory, "attachments")),
        new("Logging:LogLevel:Default", "Warning"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task<TestUser> CreateUserAsync(string role, string? name = null)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        const string password = "Correct-horse-9";
        using (var scope = Services.CreateScope())
        {
            var outcome = await UserAccounts.CreateAsync(
                scope.ServiceProvider.GetRequiredService<AppDbContext>(),
                scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(),
                name ?? $"Test {role}", email, password, role);
            Assert.IsType<UserAccounts.Created>(outcome);
        }
        var token = await LoginAsync(email, password);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await client.GetFromJsonAsync<JsonObject>("/api/v1/auth/me");
        return new TestUser(Guid.Parse((string)me!["id"]!), email, password, (string)me["name"]!, role, client);
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string)body!["access_token"]!;
    }

    /// <summary>Submits the contact form anonymously and returns the created ticket.</summary>
    public async Task<JsonObject> SubmitAsync(string? subject = null, string? message = null, string category = "general",
        string? name = null, string? email = null)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/v1/contact/submit", new
        {
            name = name ?? "Sam Submitter",
            email = email ?? "sam@example.com",
            subject = subject ?? $"Question {Guid.NewGuid():N}",
            message = message ?? "Hello, I have a question about my order.",
            category,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Runs a read-only check against the app's own database.</summary>
    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        using var scope = Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceSetup.Configure(options);
        return options;
    }
}

public sealed record TestUser(Guid Id, string Email, string Password, string Name, string Role, HttpClient Client);

/// <summary>The app on a fresh SQLite file.</summary>
public class SqliteApp : ContactDeskApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={Path.Combine(DataDirectory, "contactdesk.db")}";
}

/// <summary>The app on a fresh database in the run's PostgreSQL server.</summary>
public class PostgresApp : ContactDeskApp
{
    private readonly string database = $"contactdesk_{Guid.NewGuid():N}";

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString => PostgresServer.Instance.ConnectionString(database);
}
