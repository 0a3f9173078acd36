using System.Diagnostics;
using ContactDesk.Sla;
using ContactDesk.Tickets;
using Npgsql;
using NpgsqlTypes;

namespace ContactDesk.Bench;

/// <summary>
/// Fills a migrated PostgreSQL database with a year of tickets by binary COPY: the secondary indexes
/// are dropped first and rebuilt afterwards from their own definitions (one sort per index instead
/// of a million index insertions), then the table is vacuumed and analysed as it would be after a
/// year of autovacuum. Ticket numbers count per day from 0001 and <c>ticket_counters</c> holds each
/// day's last number, so new submissions continue the sequence. Triggers are off during the COPY
/// (foreign keys point at the run's moderators); what they maintain is rebuilt in bulk afterwards.
/// </summary>
public static class TicketSeeder
{
    private const string Columns =
        "id, ticket_number, name, email, subject, message, category, status, status_before_archive, user_id, " +
        "assigned_to_id, resolved_by_id, admin_notes, resolution_notes, created_at, updated_at, resolved_at, version, search_text, " +
        "message_count, last_message_at, waiting_on, priority, tags, sla_first_response_due_at, sla_resolution_due_at, sla_state, " +
        "sla_next_check_at, sla_first_response_warned, sla_resolution_warned, sla_first_response_met, sla_resolution_met";

    /// <param name="Copy">COPY of the tickets, and what the triggers would have maintained.</param>
    public sealed record Result(int Tickets, TimeSpan Copy, TimeSpan Indexes, TimeSpan Vacuum);

    /// <param name="sla">The policy in force (its deadlines go on the tickets of its last <see cref="Triage.SlaDays"/> days), or null while it is off.</param>
    public static async Task<Result> SeedAsync(string connectionString, int tickets, IReadOnlyList<Guid> moderators, DateTime now, SlaPolicy? sla = null)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await ExecAsync(conn, "SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 2");

        var indexes = new List<(string Name, string Definition)>();
        await using (var cmd = new NpgsqlCommand(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename IN ('tickets', 'search_tokens') AND indexname NOT IN ('pk_tickets', 'search_tokens_pkey')
            """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await ExecAsync(conn, $"DROP INDEX \"{name}\"");
        }

        var clock = Stopwatch.StartNew();
        var days = Schedule(tickets, now);
        // Foreign keys point at the handful of moderators created for the run; checking each row
        // against them would only slow the load down.
        await ExecAsync(conn, "SET session_replication_role = replica");
        await using (var writer = await conn.BeginBinaryImportAsync($"COPY tickets ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            var data = new SeedData(seed: 20261126);
            var triage = new Triage(sla, now); // its own random numbers: the rest of each ticket is as without it
            foreach (var (day, count, start, span) in days)
            {
                var times = new double[count];
                for (var i = 0; i < count; i++)
                {
                    times[i] = data.NextDouble() * span.TotalSeconds;
                }
                Array.Sort(times);
                for (var i = 0; i < count; i++)
                {
                    await WriteTicketAsync(writer, data, triage, moderators, now, start.AddSeconds(times[i]), $"CONT-{day:yyyyMMdd}-{i + 1:D4}");
                }
            }
            await writer.CompleteAsync();
        }
        // Each ticket's first message, as the Conversation migration makes them for existing tickets.
        await ExecAsync(conn, """
            INSERT INTO ticket_messages (id, ticket_id, kind, source, from_email, body, created_at)
            SELECT id, id, 'customer', 'api', email, message, created_at FROM tickets
            """, timeoutSeconds: 1800);
        // The tags as TagIndexInterceptor and the count trigger keep them: a row per name, a link per
        // ticket and name, each tag's ticket count.
        await ExecAsync(conn, """
            INSERT INTO tags (name, ticket_count)
            SELECT n, count(*) FROM tickets CROSS JOIN LATERAL unnest(string_to_array(tags, ' ')) AS n WHERE tags <> '' GROUP BY n ORDER BY n
            """, timeoutSeconds: 600);
        await ExecAsync(conn, """
            INSERT INTO ticket_tags (ticket_id, tag_id)
            SELECT t.id, g.id FROM tickets t CROSS JOIN LATERAL unnest(string_to_array(t.tags, ' ')) AS n JOIN tags g ON g.name = n
            WHERE t.tags <> ''
            """, timeoutSeconds: 1800);
        // And their ids on each ticket, as TagIdArray keeps them (null when untagged).
        await ExecAsync(conn, """
            UPDATE tickets t SET tag_ids = x.ids
            FROM (SELECT ticket_id, array_agg(tag_id ORDER BY tag_id) AS ids FROM ticket_tags GROUP BY ticket_id) AS x
            WHERE x.ticket_id = t.id
            """, timeoutSeconds: 1800);
        await ExecAsync(conn, "SET session_replication_role = origin");
        // The triggers were off during the load: recount the tallies the queue and statistics read,
        // and fill the search dictionary.
        await ExecAsync(conn, "SELECT ticket_tallies_rebuild()", timeoutSeconds: 600);
        await ExecAsync(conn, "SELECT tag_pair_counts_rebuild()", timeoutSeconds: 600);
        await ExecAsync(conn, "SELECT tickets_per_day_rebuild()", timeoutSeconds: 600);
        await ExecAsync(conn, "SET work_mem = '1GB'; SELECT search_tokens_rebuild()", timeoutSeconds: 1800);
        foreach (var (day, count, _, _) in days)
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO ticket_counters (day, last_value) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET last_value = excluded.last_value", conn);
            cmd.Parameters.AddWithValue(day);
            cmd.Parameters.AddWithValue(count);
            await cmd.ExecuteNonQueryAsync();
        }
        var copy = clock.Elapsed;

        clock.Restart();
        foreach (var (_, definition) in indexes)
        {
            await ExecAsync(conn, definition, timeoutSeconds: 1800);
        }
        var indexTime = clock.Elapsed;

        clock.Restart();
        await ExecAsync(conn, "VACUUM (ANALYZE) tickets", timeoutSeconds: 1800);
        await ExecAsync(conn, "VACUUM (ANALYZE) ticket_counters");
        await ExecAsync(conn, "VACUUM (ANALYZE) search_tokens", timeoutSeconds: 600);
        await ExecAsync(conn, "VACUUM (ANALYZE) ticket_messages", timeoutSeconds: 600);
        await ExecAsync(conn, "VACUUM (ANALYZE) ticket_tags", timeoutSeconds: 600);
        await ExecAsync(conn, "VACUUM (ANALYZE) tags");
        return new Result(tickets, copy, indexTime, clock.Elapsed);
    }

    /// <summary>
    /// How many tickets each of the last 365 UTC days got, today included up to now: weekends are
    /// quieter and volume grows over the year, with day-to-day noise.
    /// </summary>
    private static List<(DateOnly Day, int Count, DateTime Start, TimeSpan Span)> Schedule(int tickets, DateTime now)
    {
        var random = new Random(7);
        var today = DateOnly.FromDateTime(now);
        var weights = new List<(DateOnly Day, double Weight, DateTime Start, TimeSpan Span)>();
        for (var ago = 364; ago >= 0; ago--)
        {
            var day = today.AddDays(-ago);
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var span = ago == 0 ? now - start : TimeSpan.FromDays(1);
            var weekday = day.DayOfWeek switch { DayOfWeek.Saturday => 0.6, DayOfWeek.Sunday => 0.5, _ => 1.0 };
            var trend = 0.7 + 0.6 * (364 - ago) / 364.0;
            weights.Add((day, weekday * trend * (0.85 + 0.3 * random.NextDouble()) * span.TotalDays, start, span));
        }
        var total = weights.Sum(w => w.Weight);
        var counts = weights.Select(w => (int)Math.Floor(tickets * w.Weight / total)).ToArray();
        for (var i = 0; counts.Sum() < tickets; i = (i + 1) % counts.Length)
        {
            counts[i]++;
        }
        return weights.Select((w, i) => (w.Day, counts[i], w.Start, w.Span)).Where(d => d.Item2 > 0).ToList();
    }

    /// <summary>One ticket whose state fits its age: recent ones are mostly open, old ones resolved or archived.</summary>
    private static async Task WriteTicketAsync(NpgsqlBinaryImporter writer, SeedData data, Triage triage, IReadOnlyList<Guid> moderators,
        DateTime now, DateTime createdAt, string ticketNumber)
    {
        var (name, email) = data.RandomCustomer();
        var category = data.Category();
        var subject = data.Subject(category);
        var message = data.Message(name, category);
        var ageDays = (now - createdAt).TotalDays;
        var roll = data.NextDouble();
        var status = ageDays switch
        {
            < 2 => roll < 0.65 ? TicketStatus.Pending : roll < 0.90 ? TicketStatus.InProgress : TicketStatus.Resolved,
            < 14 => roll < 0.30 ? TicketStatus.Pending : roll < 0.55 ? TicketStatus.InProgress : roll < 0.95 ? TicketStatus.Resolved : TicketStatus.Archived,
            < 60 => roll < 0.05 ? TicketStatus.Pending : roll < 0.10 ? TicketStatus.InProgress : roll < 0.80 ? TicketStatus.Resolved : TicketStatus.Archived,
            _ => roll < 0.005 ? TicketStatus.Pending : roll < 0.01 ? TicketStatus.InProgress : roll < 0.75 ? TicketStatus.Resolved : TicketStatus.Archived,
        };
        // Archived tickets were mostly resolved first; the rest is spam archived straight away.
        TicketStatus? beforeArchive = status == TicketStatus.Archived ? (data.NextDouble() < 0.85 ? TicketStatus.Resolved : TicketStatus.Pending) : null;
        var wasResolved = status == TicketStatus.Resolved || beforeArchive == TicketStatus.Resolved;

        Guid? assignee = null, resolver = null;
        DateTime? resolvedAt = null;
        var updatedAt = createdAt;
        var version = 1;
        if (status == TicketStatus.InProgress || wasResolved)
        {
            assignee = data.Pick(moderators);
            updatedAt = Min(now, createdAt.AddMinutes(5 + data.Next(240)));
            version++;
        }
        if (wasResolved)
        {
            // Median about a day, a long tail of weeks.
            var hours = Math.Exp(Math.Log(18) + Gaussian(data));
            resolvedAt = Min(now, createdAt.AddHours(Math.Max(0.1, hours)));
            resolver = assignee;
            updatedAt = resolvedAt.Value;
            version++;
        }
        if (status == TicketStatus.Archived)
        {
            updatedAt = Min(now, updatedAt.AddDays(1 + data.Next(20)));
            version++;
        }
        var adminNotes = status != TicketStatus.Pending && data.NextDouble() < 0.2 ? data.Note() : null;
        version += adminNotes is null ? 0 : 1;
        var resolutionNotes = wasResolved && data.NextDouble() < 0.6 ? data.Resolution() : null;

        await writer.StartRowAsync();
        await writer.WriteAsync(Guid.CreateVersion7(new DateTimeOffset(createdAt)), NpgsqlDbType.Uuid);
        await writer.WriteAsync(ticketNumber, NpgsqlDbType.Varchar);
        await writer.WriteAsync(name, NpgsqlDbType.Varchar);
        await writer.WriteAsync(email, NpgsqlDbType.Varchar);
        await writer.WriteAsync(subject, NpgsqlDbType.Varchar);
        await writer.WriteAsync(message, NpgsqlDbType.Text);
        await writer.WriteAsync(WireNames.Of(category), NpgsqlDbType.Varchar);
        await writer.WriteAsync(WireNames.Of(status), NpgsqlDbType.Varchar);
        await WriteNullableAsync(writer, beforeArchive is { } b ? WireNames.Of(b) : null, NpgsqlDbType.Varchar);
        await writer.WriteNullAsync(); // user_id: anonymous visitors
        await WriteNullableAsync(writer, assignee, NpgsqlDbType.Uuid);
        await WriteNullableAsync(writer, resolver, NpgsqlDbType.Uuid);
        await WriteNullableAsync(writer, adminNotes, NpgsqlDbType.Text);
        await WriteNullableAsync(writer, resolutionNotes, NpgsqlDbType.Text);
        await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
        await writer.WriteAsync(updatedAt, NpgsqlDbType.TimestampTz);
        await WriteNullableAsync(writer, resolvedAt, NpgsqlDbType.TimestampTz);
        await writer.WriteAsync(version, NpgsqlDbType.Integer);
        await writer.WriteAsync(Ticket.BuildSearchText(ticketNumber, name, email, subject, message), NpgsqlDbType.Text);
        // The thread: the submission is its one message (inserted after the COPY, from these rows).
        await writer.WriteAsync(1, NpgsqlDbType.Integer);
        await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
        var waitingOn = status is TicketStatus.Pending or TicketStatus.InProgress ? WaitingOn.Staff : (WaitingOn?)null;
        await WriteNullableAsync(writer, waitingOn is { } w ? WireNames.Of(w) : null, NpgsqlDbType.Varchar);

        var t = triage.Next(createdAt, status, resolvedAt, waitingOn);
        await writer.WriteAsync((int)t.Priority, NpgsqlDbType.Integer);
        await writer.WriteAsync(t.Tags, NpgsqlDbType.Varchar);
        await WriteNullableAsync(writer, t.SlaFirstResponseDueAt, NpgsqlDbType.TimestampTz);
        await WriteNullableAsync(writer, t.SlaResolutionDueAt, NpgsqlDbType.TimestampTz);
        await WriteNullableAsync(writer, t.SlaState is { } state ? WireNames.Of(state) : null, NpgsqlDbType.Varchar);
        await WriteNullableAsync(writer, t.SlaNextCheckAt, NpgsqlDbType.TimestampTz);
        await writer.WriteAsync(t.SlaFirstResponseWarned, NpgsqlDbType.Boolean);
        await writer.WriteAsync(t.SlaResolutionWarned, NpgsqlDbType.Boolean);
        await WriteNullableAsync(writer, t.SlaFirstResponseMet, NpgsqlDbType.Boolean);
        await WriteNullableAsync(writer, t.SlaResolutionMet, NpgsqlDbType.Boolean);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    private static double Gaussian(SeedData data) =>
        Math.Sqrt(-2 * Math.Log(1 - data.NextDouble())) * Math.Cos(2 * Math.PI * data.NextDouble());

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, int timeoutSeconds = 60)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = timeoutSeconds };
        await cmd.ExecuteNonQueryAsync();
    }
}
