using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContactDesk.Data;

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    // Its own statement, outside the ticket's transaction, so the writer lock is held only briefly.
    public override async Task<int> NextTicketCounterAsync(DateOnly day, CancellationToken ct)
    {
        var values = await Database.SqlQuery<int>($"""
            INSERT INTO ticket_counters (day, last_value) VALUES ({day}, 1)
            ON CONFLICT (day) DO UPDATE SET last_value = last_value + 1
            RETURNING last_value AS "Value"
            """).ToListAsync(ct);
        return values[0];
    }

    // SQLite has one writer at a time: inside the write transaction nothing else changes the table.
    public override async Task<int> CompactTalliesAsync(CancellationToken ct)
    {
        await using var tx = await Database.BeginTransactionAsync(ct);
        var last = await TicketTallies.MaxAsync(t => (long?)t.Id, ct);
        if (last is null)
        {
            return 0;
        }
        await Database.ExecuteSqlAsync($"""
            INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
            SELECT status, category, assigned_to_id, sum(tickets), sum(resolved), sum(resolution_seconds)
            FROM ticket_tallies WHERE id <= {last} GROUP BY status, category, assigned_to_id
            HAVING sum(tickets) <> 0 OR sum(resolved) <> 0
            """, ct);
        var folded = await TicketTallies.Where(t => t.Id <= last).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return folded;
    }

    // zeroblob reserves the row's space; the content is then written through SQLite's incremental
    // blob I/O in small pieces, so neither .NET nor SQLite holds the whole file (a bound byte[] would be copied whole).
    public override async Task InsertBlobAsync(string sha256, long size, string contentType, Stream? content, DateTime now, CancellationToken ct)
    {
        var rowIds = await Database.SqlQuery<long>($"""
            INSERT INTO attachment_blobs (sha256, size, content_type, content, created_at)
            VALUES ({sha256}, {size}, {contentType}, CASE WHEN {content is null} THEN NULL ELSE zeroblob({size}) END, {now})
            ON CONFLICT (sha256) DO NOTHING
            RETURNING rowid AS "Value"
            """).ToListAsync(ct);
        if (rowIds is [var rowId] && content is not null)
        {
            await using var blob = new SqliteBlob((SqliteConnection)Database.GetDbConnection(), "attachment_blobs", "content", rowId);
            await content.CopyToAsync(blob, 81920, ct);
        }
    }

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19 };

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        base.ConfigureConventions(builder);
        // SQLite keeps no time zone: every timestamp the app writes is UTC, so read it back as UTC.
        builder.Properties<DateTime>().HaveConversion<UtcConverter>();
        builder.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>Used by <c>dotnet ef migrations add --context SqliteAppDbContext</c>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>();
        options.UseSqliteProvider("Data Source=design.db");
        return new(options.Options);
    }
}
