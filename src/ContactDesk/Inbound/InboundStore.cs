using System.Security.Cryptography;
using ContactDesk.Data;
using ContactDesk.Notifications;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContactDesk.Inbound;

/// <summary>
/// The first step of every source: the raw message is written to <c>inbound_emails</c> in its own
/// commit before anything is made of it. Its key (the Message-ID, else a hash of the bytes) is
/// unique, so the same message from a retrying MTA, a re-read IMAP folder or a crashed run is
/// stored once.
/// </summary>
public sealed class InboundStore(
    AppDbContext db, IOptions<EmailOptions> options, InboundSignal signal, InboundWriteGate gate, TimeProvider clock, ILogger<InboundStore> log)
{
    public abstract record Outcome;
    /// <param name="New">False: the same message was stored before; nothing changed.</param>
    public sealed record Stored(Guid Id, bool New, InboundState State) : Outcome;
    public sealed record TooLarge(long Max) : Outcome;
    public sealed record NotAMessage(string Reason) : Outcome;

    /// <summary>A message as read from its source: its bytes (none past the limit) and their hash.</summary>
    public sealed record RawMessage(byte[] Raw, string Sha256, bool TooLarge);

    /// <summary>
    /// Reads <paramref name="body"/> to its end and stores it. With <paramref name="keepUnreadable"/>
    /// a message that cannot be read or is too large is still recorded, as failed, so
    /// an admin sees it; otherwise (HTTP) the sender is told and nothing is stored.
    /// </summary>
    public async Task<Outcome> StoreAsync(Stream body, InboundSource source, bool keepUnreadable, CancellationToken ct)
    {
        var max = options.Value.Inbound.MaxMessageBytes;
        var message = await ReadAsync(body, max, ct);
        var (key, error) = Examine(message, max, ct);
        if (error is not null && !keepUnreadable)
        {
            return message.TooLarge ? new TooLarge(max) : new NotAMessage(error);
        }

        if (await db.InboundEmails.AsNoTracking().Where(e => e.Key == key).Select(e => new { e.Id, e.State }).FirstOrDefaultAsync(ct) is { } known)
        {
            return new Stored(known.Id, New: false, known.State);
        }
        var id = Guid.CreateVersion7();
        var state = error is null ? InboundState.Received : InboundState.Failed;
        if (await gate.RunAsync(db, () => InsertAsync(id, key, message, source, state, clock.GetUtcNow().UtcDateTime, error, ct), ct) == 0)
        {
            var other = await db.InboundEmails.AsNoTracking().Where(x => x.Key == key).Select(x => new { x.Id, x.State }).SingleAsync(ct);
            return new Stored(other.Id, New: false, other.State);
        }
        Announce(id, source, error);
        return new Stored(id, New: true, state);
    }

    /// <summary>
    /// Stores messages read together (an IMAP chunk) in one commit, in their order, unreadable or
    /// too large ones as failed: one flush to disk for all of them instead of one each. A message
    /// whose key is known already is left as it is. Returns how many were new.
    /// </summary>
    public async Task<int> StoreAllAsync(IReadOnlyList<RawMessage> messages, InboundSource source, CancellationToken ct)
    {
        var max = options.Value.Inbound.MaxMessageBytes;
        var now = clock.GetUtcNow().UtcDateTime;
        var examined = messages.Select(m => Examine(m, max, ct)).ToList(); // before the transaction: it holds SQLite's one write lock
        var stored = new List<(Guid Id, string? Error)>();
        await gate.RunAsync(db, async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            for (var i = 0; i < messages.Count; i++)
            {
                var (key, error) = examined[i];
                var id = Guid.CreateVersion7();
                // A microsecond apart, in the order they came: the processor takes the oldest first, so
                // a reply that arrives with the mail it answers comes after it.
                var receivedAt = now.AddTicks(i * TimeSpan.TicksPerMicrosecond);
                if (await InsertAsync(id, key, messages[i], source, error is null ? InboundState.Received : InboundState.Failed, receivedAt, error, ct) == 1)
                {
                    stored.Add((id, error));
                }
            }
            await transaction.CommitAsync(ct);
        }, ct);
        foreach (var (id, error) in stored)
        {
            Announce(id, source, error);
        }
        return stored.Count;
    }

    /// <summary>The key and, for a message that cannot be ingested, why (it is then kept as failed).</summary>
    private static (string Key, string? Error) Examine(RawMessage message, long max, CancellationToken ct)
    {
        if (message.TooLarge)
        {
            return (Key(null, message.Sha256), $"The message is larger than {max} bytes (Email:Inbound:MaxMessageBytes).");
        }
        try
        {
            // In memory already: the synchronous parser, without a task per read.
            var parsed = MimeMessage.Load(new MemoryStream(message.Raw, writable: false), ct);
            return (Key(parsed.MessageId, message.Sha256), MailReader.Sender(parsed) is null ? "The message names no sender (From)." : null);
        }
        catch (FormatException e)
        {
            return (Key(null, message.Sha256), $"Not a MIME message: {e.Message}");
        }
    }

    // ON CONFLICT: the same message arriving at the same moment (an MTA retrying, two instances, a
    // mailbox holding two copies) is one row, and the loser learns it without an error.
    private Task<int> InsertAsync(Guid id, string key, RawMessage message, InboundSource source, InboundState state, DateTime receivedAt, string? error, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO inbound_emails (id, key, raw, source, state, received_at, error)
            VALUES ({id}, {key}, {(message.TooLarge ? Array.Empty<byte>() : message.Raw)}, {WireNames.Of(source)}, {WireNames.Of(state)}, {receivedAt}, {error})
            ON CONFLICT (key) DO NOTHING
            """, ct);

    /// <summary>After the commit: the processor is woken for a message to do; one kept as failed is logged.</summary>
    private void Announce(Guid id, InboundSource source, string? error)
    {
        if (error is null)
        {
            signal.Notify();
        }
        else
        {
            log.LogWarning("Inbound email {Id} from {Source} kept as failed: {Error}", id, source, error);
        }
    }

    /// <summary>The whole body, hashed; past <paramref name="max"/> bytes only hashed (and the content dropped).</summary>
    public static async Task<RawMessage> ReadAsync(Stream body, long max, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        var tooLarge = false;
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            hash.AppendData(chunk, 0, read);
            if (!tooLarge && buffer.Length + read > max)
            {
                tooLarge = true;
                buffer = new MemoryStream();
            }
            if (!tooLarge)
            {
                buffer.Write(chunk, 0, read);
            }
        }
        return new RawMessage(buffer.ToArray(), Convert.ToHexStringLower(hash.GetHashAndReset()), tooLarge);
    }

    /// <summary>The Message-ID (a long one by its hash, to fit the column), else the bytes' hash.</summary>
    public static string Key(string? messageId, string sha256) => messageId switch
    {
        { Length: > 0 and <= 250 } => $"mid:{messageId}",
        { Length: > 250 } => $"mid-sha256:{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)))}",
        _ => $"sha256:{sha256}",
    };
}

/// <summary>Wakes the inbound processor when a message was stored, rather than at its next poll.</summary>
public sealed class InboundSignal : OutboxSignal;
