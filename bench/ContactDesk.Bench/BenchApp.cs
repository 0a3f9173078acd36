using ContactDesk.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ContactDesk.Bench;

/// <summary>The app, built in this (Release) process with the given settings, on a real database.</summary>
public sealed class BenchApp(DatabaseProvider provider, string connectionString, IReadOnlyDictionary<string, string> settings)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory); // appsettings.json is copied next to the benchmark
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // EF logs a failed connection while it creates the benchmark database; that is expected.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Connection", "Critical");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
