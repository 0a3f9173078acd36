using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace ContactDesk.Data;

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    // The counter row is bumped in its own short transaction that does not wait for the WAL flush,
    // so concurrent submissions never queue behind one another's commit on that row. It is still
    // durable whenever the ticket using the number is: the ticket's commit flushes the WAL up to
    // and past the counter's update.
    public override async Task<int> NextTicketCounterAsync(DateOnly day, CancellationToken ct)
    {
        var values = await Database.SqlQuery<int>($"""
            WITH settings AS (SELECT set_config('synchronous_commit', 'off', true))
            INSERT INTO ticket_counters (day, last_value)
            SELECT {day}, 1 FROM settings
            ON CONFLICT (day) DO UPDATE SET last_value = ticket_counters.last_value + 1
            RETURNING last_value AS "Value"
            """).ToListAsync(ct);
        return values[0];
    }

    public override Task<double?> AverageResolutionHoursAsync(CancellationToken ct) =>
        Database.SqlQuery<double?>($"""
            SELECT (avg(extract(epoch FROM resolved_at - created_at)) / 3600.0)::double precision AS "Value"
            FROM tickets WHERE resolved_at IS NOT NULL
            """).SingleAsync(ct);

    // SKIP LOCKED: instances claiming at the same moment take disjoint rows instead of waiting.
    protected override string ClaimRowLock => "FOR UPDATE SKIP LOCKED";

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // Substring search over a million tickets: a trigram index serves LIKE '%term%'.
        model.HasPostgresExtension("pg_trgm");
        model.Entity<Ticket>().HasIndex(t => t.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}

/// <summary>Used by <c>dotnet ef migrations add --context PostgresAppDbContext</c>.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresAppDbContext>();
        options.UsePostgresProvider("Host=localhost");
        return new(options.Options);
    }
}
