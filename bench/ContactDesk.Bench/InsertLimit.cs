using ContactDesk.Tickets;
using Npgsql;
using static NpgsqlTypes.NpgsqlDbType;

namespace ContactDesk.Bench;

/// <summary>
/// The ceiling a submission cannot beat on this PostgreSQL: the same number of connections, each
/// committing one INSERT of a ticket-sized row per transaction (prepared, no HTTP, no app), with
/// the server's default durability. Two variants show what the per-day ticket counter costs:
/// bumped inside the ticket's transaction (its row lock is held until the commit's WAL flush, so
/// submissions queue behind one another) and bumped in its own transaction without waiting for the
/// flush (what the app does). A fourth does what the database must do for one of the app's
/// submissions, as raw SQL in one round trip: the counter, then the ticket (into the real table,
/// with its indexes and triggers), its audit entry and its two outbox emails in one transaction.
/// </summary>
public static class InsertLimit
{
    public enum Variant { InsertOnly, CounterInsideTransaction, CounterOwnAsyncTransaction, SubmissionWrites }

    public static async Task PrepareAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            DROP TABLE IF EXISTS limit_tickets, limit_counters;
            CREATE TABLE limit_tickets (LIKE tickets INCLUDING DEFAULTS);
            ALTER TABLE limit_tickets ADD PRIMARY KEY (id);
            CREATE TABLE limit_counters (day date PRIMARY KEY, last_value integer NOT NULL);
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<LoadResult> RunAsync(string connectionString, Variant variant, int clients, TimeSpan duration,
        IReadOnlyList<ContactForm> pool, CpuMeter cpu)
    {
        var connections = new NpgsqlConnection[clients];
        var inserts = new NpgsqlCommand[clients];
        var counters = new NpgsqlCommand[clients];
        for (var i = 0; i < clients; i++)
        {
            connections[i] = new NpgsqlConnection(connectionString);
            await connections[i].OpenAsync();
            inserts[i] = new NpgsqlCommand("""
                INSERT INTO limit_tickets (id, ticket_number, name, email, subject, message, category, status,
                    created_at, updated_at, version, search_text)
                VALUES ($1, $2, $3, $4, $5, $6, 'general', 'pending', $7, $7, 1, $8)
                """, connections[i]);
            foreach (var type in new[] { Uuid, Varchar, Varchar, Varchar, Varchar, Text, TimestampTz, Text })
            {
                inserts[i].Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
            }
            await inserts[i].PrepareAsync();
            counters[i] = new NpgsqlCommand(variant is Variant.CounterOwnAsyncTransaction or Variant.SubmissionWrites
                ? """
                  WITH settings AS (SELECT set_config('synchronous_commit', 'off', true))
                  INSERT INTO limit_counters (day, last_value) SELECT $1, 1 FROM settings
                  ON CONFLICT (day) DO UPDATE SET last_value = limit_counters.last_value + 1 RETURNING last_value
                  """
                : """
                  INSERT INTO limit_counters (day, last_value) VALUES ($1, 1)
                  ON CONFLICT (day) DO UPDATE SET last_value = limit_counters.last_value + 1 RETURNING last_value
                  """, connections[i]);
            counters[i].Parameters.Add(new NpgsqlParameter { NpgsqlDbType = Date });
            await counters[i].PrepareAsync();
        }

        if (variant == Variant.SubmissionWrites)
        {
            return await SubmissionWritesAsync(connectionString, clients, duration, pool, cpu, connections, counters);
        }
        var sequence = 0;
        var name = variant switch
        {
            Variant.InsertOnly => "limit: INSERT per transaction",
            Variant.CounterInsideTransaction => "counter bumped inside the INSERT's transaction",
            _ => "counter in its own async-commit transaction, then INSERT",
        };
        try
        {
            return await LoadRunner.RunAsync(name, clients, duration, async (i, ct) =>
            {
                var n = Interlocked.Increment(ref sequence);
                var s = pool[n % pool.Count];
                var now = DateTime.UtcNow;
                var number = $"LIMIT-{now:yyyyMMdd}-{n:D6}";
                NpgsqlTransaction? tx = null;
                if (variant != Variant.InsertOnly)
                {
                    if (variant == Variant.CounterInsideTransaction)
                    {
                        tx = await connections[i].BeginTransactionAsync(ct);
                    }
                    counters[i].Parameters[0].Value = DateOnly.FromDateTime(now);
                    await counters[i].ExecuteScalarAsync(ct);
                }
                var p = inserts[i].Parameters;
                p[0].Value = Guid.CreateVersion7();
                p[1].Value = number;
                p[2].Value = s.Name;
                p[3].Value = s.Email;
                p[4].Value = s.Subject;
                p[5].Value = s.Message;
                p[6].Value = now;
                p[7].Value = Ticket.BuildSearchText(number, s.Name, s.Email, s.Subject, s.Message);
                await inserts[i].ExecuteNonQueryAsync(ct);
                if (tx is not null)
                {
                    await tx.CommitAsync(ct);
                    await tx.DisposeAsync();
                }
                return true;
            }, cpu);
        }
        finally
        {
            foreach (var conn in connections)
            {
                await conn.DisposeAsync();
            }
        }
    }

    private static async Task<LoadResult> SubmissionWritesAsync(string connectionString, int clients, TimeSpan duration,
        IReadOnlyList<ContactForm> pool, CpuMeter cpu, NpgsqlConnection[] connections, NpgsqlCommand[] counters)
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<p>Thank you for contacting us. We will answer within two business days.</p>", 40)) + "</body></html>";
        var text = string.Concat(Enumerable.Repeat("Thank you for contacting us. We will answer within two business days.\n", 15));
        var sequence = 0;
        try
        {
            return await LoadRunner.RunAsync("a submission's writes as raw SQL", clients, duration, async (i, ct) =>
            {
                var n = Interlocked.Increment(ref sequence);
                var f = pool[n % pool.Count];
                var now = DateTime.UtcNow;
                counters[i].Parameters[0].Value = DateOnly.FromDateTime(now);
                await counters[i].ExecuteScalarAsync(ct);
                var id = Guid.CreateVersion7();
                var number = $"RAW-{now:yyyyMMdd}-{n:D6}";
                await using var batch = new NpgsqlBatch(connections[i]);
                batch.BatchCommands.Add(Command("BEGIN"));
                batch.BatchCommands.Add(Command("""
                    INSERT INTO tickets (id, ticket_number, name, email, subject, message, category, status, created_at, updated_at, version, search_text)
                    VALUES ($1, $2, $3, $4, $5, $6, 'general', 'pending', $7, $7, 1, $8)
                    """, id, number, f.Name, f.Email, f.Subject, f.Message, now, Ticket.BuildSearchText(number, f.Name, f.Email, f.Subject, f.Message)));
                batch.BatchCommands.Add(Command("""
                    INSERT INTO audit_entries (ticket_id, ticket_number, at, action, changes) VALUES ($1, $2, $3, 'created', $4)
                    """, id, number, now, $$"""{"ticket_number":[null,"{{number}}"],"name":[null,"{{f.Name}}"],"status":[null,"pending"]}"""));
                foreach (var to in new[] { f.Email, "bench-admin@example.com" })
                {
                    batch.BatchCommands.Add(Command("""
                        INSERT INTO outbox_emails (id, kind, ticket_id, ticket_number, to_address, to_name, message_id, subject, text_body, html_body,
                            state, attempts, created_at, next_attempt_at)
                        VALUES ($1, 'confirmation', $2, $3, $4, 'Someone', $5, $6, $7, $8, 'sent', 0, $9, $9)
                        """, Guid.CreateVersion7(), id, number, to, $"<{Guid.NewGuid():N}@localhost>", $"[{number}] {f.Subject}", text, html, now));
                }
                batch.BatchCommands.Add(Command("COMMIT"));
                await batch.ExecuteNonQueryAsync(ct);
                return true;
            }, cpu);
        }
        finally
        {
            foreach (var conn in connections)
            {
                await conn.DisposeAsync();
            }
            // The rows were only there to be written.
            await using var cleanup = new NpgsqlConnection(connectionString);
            await cleanup.OpenAsync();
            await using var delete = new NpgsqlCommand("""
                DELETE FROM outbox_emails WHERE ticket_number LIKE 'RAW-%';
                DELETE FROM audit_entries WHERE ticket_number LIKE 'RAW-%';
                DELETE FROM tickets WHERE ticket_number LIKE 'RAW-%';
                """, cleanup) { CommandTimeout = 600 };
            await delete.ExecuteNonQueryAsync();
            // And their dead index entries gone, as autovacuum would do soon: otherwise the reads
            // whose plans are captured later step over them.
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) tickets, audit_entries, outbox_emails", cleanup) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}
