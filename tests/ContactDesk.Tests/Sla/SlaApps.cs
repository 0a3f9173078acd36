using ContactDesk.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ContactDesk.Tests.Sla;

/// <summary>
/// The app with a clock the test moves (FakeTimeProvider), starting on a Monday in the past so
/// that tokens signed at its time are valid for the real clock too (they live for years here).
/// </summary>
public interface ISlaApp
{
    ContactDeskApp App { get; }
    FakeTimeProvider Clock { get; }

    /// <summary>A second instance of the app on the same database (its own services, job and policy cache; the same clock); null where unsupported.</summary>
    ContactDeskApp? SecondInstance();

    /// <summary>The admin and the moderator, made once while the clock is still at its start (a token is not valid before it was signed).</summary>
    Task<(TestUser Admin, TestUser Moderator)>? Users { get; set; }
}

internal static class SlaClockSetup
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    public static void Use(IWebHostBuilder builder, FakeTimeProvider clock)
    {
        builder.UseSetting("Auth:TokenLifetimeMinutes", "5256000");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
        });
    }
}

public sealed class SqliteSlaApp : SqliteApp, ISlaApp
{
    public FakeTimeProvider Clock { get; } = new(SlaClockSetup.Start);
    public ContactDeskApp App => this;
    public ContactDeskApp? SecondInstance() => null;
    public Task<(TestUser Admin, TestUser Moderator)>? Users { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SlaClockSetup.Use(builder, Clock);
    }
}

public sealed class PostgresSlaApp : PostgresApp, ISlaApp
{
    private SharedDatabase? second;

    public FakeTimeProvider Clock { get; } = new(SlaClockSetup.Start);
    public ContactDeskApp App => this;
    public ContactDeskApp? SecondInstance() => second ??= new SharedDatabase(ConnectionStringOf(), Clock);
    public Task<(TestUser Admin, TestUser Moderator)>? Users { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SlaClockSetup.Use(builder, Clock);
    }

    private string ConnectionStringOf() => ConnectionString;

    public override async ValueTask DisposeAsync()
    {
        if (second is not null)
        {
            await second.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>Another app on the same database: its own services, job and policy cache, the same (fake) time.</summary>
    private sealed class SharedDatabase(string connectionString, FakeTimeProvider clock) : ContactDeskApp
    {
        public override Data.DatabaseProvider Provider => Data.DatabaseProvider.Postgres;
        protected override string ConnectionString => connectionString;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            SlaClockSetup.Use(builder, clock);
        }
    }
}
