using ContactDesk.Data;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>The app on a database that something else (such as the CLI) has already made.</summary>
public sealed class AppOnDatabase(DatabaseProvider provider, string connectionString) : ContactDeskApp
{
    public override DatabaseProvider Provider => provider;

    protected override string ConnectionString => connectionString;
}
