using ContactDesk.Moderation;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage;
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
        // Plain ADO.NET on the context's connection: this runs for every submission, and a
        // one-value command needs none of EF's query machinery.
        await Database.OpenConnectionAsync(ct);
        try
        {
            // Inside a caller's transaction (email in creates a batch of tickets in one) the setting
            // would last until that transaction's commit and make all of it non-durable: there the
            // counter is simply part of it.
            await using var command = new NpgsqlCommand(Database.CurrentTransaction is null ? CounterWithoutFlush : CounterInTransaction,
                (NpgsqlConnection)Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
            return (int)(await command.ExecuteScalarAsync(ct))!;
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    private const string CounterWithoutFlush = """
        WITH settings AS (SELECT set_config('synchronous_commit', 'off', true))
        INSERT INTO ticket_counters (day, last_value)
        SELECT $1, 1 FROM settings
        ON CONFLICT (day) DO UPDATE SET last_value = ticket_counters.last_value + 1
        RETURNING last_value
        """;

    private const string CounterInTransaction = """
        INSERT INTO ticket_counters (day, last_value) VALUES ($1, 1)
        ON CONFLICT (day) DO UPDATE SET last_value = ticket_counters.last_value + 1
        RETURNING last_value
        """;

    // One statement: the rows it deletes are exactly the rows it sums. Rows inserted meanwhile (not
    // yet visible to it) stay; a concurrent compaction skips the rows this one deleted and never
    // sees the ones it inserted, so no change is lost or counted twice.
    public override Task<int> CompactTalliesAsync(CancellationToken ct) =>
        Database.ExecuteSqlRawAsync("""
            WITH gone AS (DELETE FROM ticket_tallies RETURNING status, category, assigned_to_id, tickets, resolved, resolution_seconds)
            INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
            SELECT status, category, assigned_to_id, sum(tickets), sum(resolved), sum(resolution_seconds)
            FROM gone GROUP BY status, category, assigned_to_id
            HAVING sum(tickets) <> 0 OR sum(resolved) <> 0;

            WITH gone AS (
                DELETE FROM tickets_per_day WHERE day IN (SELECT day FROM tickets_per_day GROUP BY day HAVING count(*) > 1)
                RETURNING day, tickets)
            INSERT INTO tickets_per_day (day, tickets)
            SELECT day, sum(tickets) FROM gone GROUP BY day HAVING sum(tickets) <> 0
            """, ct);

    // Whole days from tickets_per_day (TicketsPerDay migration); only the part of the day the week
    // starts in is counted from the tickets: a day's index entries instead of a week's.
    public override async Task<(int Today, int LastWeek)> CountCreatedAsync(DateTime now, CancellationToken ct)
    {
        var weekAgo = now.AddDays(-7);
        var firstWholeDay = weekAgo.Date.AddDays(1);
        await Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("""
                SELECT (SELECT coalesce(sum(tickets), 0) FROM tickets_per_day WHERE day >= $1)::int,
                       (SELECT coalesce(sum(tickets), 0) FROM tickets_per_day WHERE day >= $2)::int
                       + (SELECT count(*) FROM tickets WHERE created_at >= $3 AND created_at < $4)::int
                """, (NpgsqlConnection)Database.GetDbConnection(), (NpgsqlTransaction?)Database.CurrentTransaction?.GetDbTransaction());
            command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = DateOnly.FromDateTime(now) });
            command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = DateOnly.FromDateTime(firstWholeDay) });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = weekAgo });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = firstWholeDay });
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt32(0), reader.GetInt32(1));
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }
    }

    /// <summary>The characters that separate tokens: the same six as in <c>ticket_text_tokens()</c> (SearchTokens migration).</summary>
    private static readonly char[] TokenSeparators = [' ', '\t', '\n', '\r', '\f', '\v'];

    /// <summary>A term found inside more distinct tokens than this is searched for by scanning.</summary>
    public const int MaxTokens = 10_000;

    // Every whitespace-free piece of the text (a token) is in the search_tokens dictionary, and each
    // ticket's tokens are in a GIN index. A whitespace-free term occurs in a text exactly when it
    // occurs inside one of its tokens: the dictionary (trigram index) lists those tokens and the GIN
    // index gives the tickets holding any of them, with no LIKE over a million texts. A term with
    // whitespace narrows by its longest piece, then LIKE decides.
    public override async Task<IQueryable<Ticket>> SearchAsync(string term, IReadOnlyList<TicketStatus> statuses, bool forCounting, CancellationToken ct)
    {
        var piece = term.Split(TokenSeparators, StringSplitOptions.RemoveEmptyEntries).MaxBy(p => p.Length);
        if (piece is not { Length: >= 3 })
        {
            return await base.SearchAsync(term, statuses, forCounting, ct); // too short for trigrams: scan
        }
        var tokens = await TokensContainingAsync(piece, ct);
        if (tokens.Count > MaxTokens)
        {
            return await base.SearchAsync(term, statuses, forCounting, ct);
        }
        // The status is compared as an expression no index serves: otherwise the planner may AND the
        // token bitmap with the bitmap of every ticket in those statuses (most of the table), which
        // overflows work_mem into lossy pages whose rows must all be tokenized again.
        var wireStatuses = statuses.Select(WireNames.Of).ToArray();
        var matches = Tickets.FromSql($"""
            SELECT * FROM tickets
            WHERE ticket_text_tokens(search_text) && {tokens.ToArray()} AND (status || '') = ANY ({wireStatuses})
            """);
        // For a one-piece term the tokens are exact; LIKE then only lets the planner walk the queue's
        // order cheaply for a common word (it is tried on each row before the token expression),
        // which a count never does.
        return forCounting && piece.Length == term.Length ? matches : matches.Where(TextContains(term));
    }

    /// <summary>
    /// The dictionary's tokens that contain <paramref name="piece"/>. The trigram index is quick for
    /// rare trigrams and slow for common ones: an email address shares "gmail.com" with a third of
    /// the dictionary. So the index looks up the piece's longest run of letters and digits (the
    /// "anderson8925" of "donna.anderson8925@gmail.com": 60 index pages instead of 900 at a million
    /// tickets) and the whole piece is then compared as an expression no index serves.
    /// </summary>
    private async Task<List<string>> TokensContainingAsync(string piece, CancellationToken ct)
    {
        var run = LongestRun(piece);
        var lookup = run.Length >= MinRunLength ? run : piece;
        // Statements are prepared (Max Auto Prepare), and PostgreSQL may then plan a statement once
        // for any parameters (a generic plan). The search's plans depend on the tokens: a common word
        // walks the newest tickets, a rare one reads the GIN index, and the one plan for both took
        // 534 ms for "refund" at a million tickets instead of 2. So the connection is held for the
        // rest of this context's work, and its searches are planned for their own tokens; returning
        // the connection to the pool resets the setting (RESET ALL).
        await Database.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)Database.GetDbConnection())
        {
            Transaction = (NpgsqlTransaction?)Database.CurrentTransaction?.GetDbTransaction(),
        };
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET plan_cache_mode = force_custom_plan"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT token FROM search_tokens WHERE token LIKE $1 AND (token || '') LIKE $2 LIMIT {MaxTokens + 1}
            """)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = TicketFilter.ContainsPattern(lookup) },
                new NpgsqlParameter<string> { TypedValue = TicketFilter.ContainsPattern(piece) } },
        });
        var tokens = new List<string>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            while (await reader.ReadAsync(ct))
            {
                tokens.Add(reader.GetString(0));
            }
        } while (await reader.NextResultAsync(ct));
        return tokens;
    }

    /// <summary>Shorter runs ("com", "de") are too common to narrow the lookup on their own.</summary>
    private const int MinRunLength = 4;

    private static string LongestRun(string piece)
    {
        var (bestStart, bestLength, start) = (0, 0, 0);
        for (var i = 0; i <= piece.Length; i++)
        {
            if (i < piece.Length && char.IsLetterOrDigit(piece[i]))
            {
                continue;
            }
            if (i - start > bestLength)
            {
                (bestStart, bestLength) = (start, i - start);
            }
            start = i + 1;
        }
        return piece.Substring(bestStart, bestLength);
    }

    // SKIP LOCKED: instances claiming at the same moment take disjoint rows instead of waiting.
    protected override string ClaimRowLock => "FOR UPDATE SKIP LOCKED";

    // The content is read into one array, which Npgsql writes to the socket as it is: measured with a
    // 20 MiB upload, a Stream parameter held about twice as much memory (UploadMemoryTests).
    public override async Task InsertBlobAsync(string sha256, long size, string contentType, Stream? content, DateTime now, CancellationToken ct)
    {
        byte[]? bytes = null;
        if (content is not null)
        {
            bytes = new byte[size];
            await content.ReadExactlyAsync(bytes, ct);
        }
        await using var command = new NpgsqlCommand("""
            INSERT INTO attachment_blobs (sha256, size, content_type, content, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (sha256) DO NOTHING
            """, (NpgsqlConnection)Database.GetDbConnection(), (NpgsqlTransaction?)Database.CurrentTransaction?.GetDbTransaction());
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sha256 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = contentType });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, Value = (object?)bytes ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
        await command.ExecuteNonQueryAsync(ct);
    }

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // The search dictionary's trigram index; the tokens themselves are indexed by an expression
        // index that EF does not model (SearchTokens migration).
        model.HasPostgresExtension("pg_trgm");
        // The status rides along in the ordering indexes: the default queue (everything but archived)
        // and deep pages are then answered from the index alone.
        model.Entity<Ticket>().HasIndex(t => new { t.CreatedAt, t.Id }).IncludeProperties(t => t.Status);
        model.Entity<Ticket>().HasIndex(t => new { t.UpdatedAt, t.Id }).IncludeProperties(t => t.Status);
        ContactDesk.Tags.TagIdArray.Configure(model);
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
