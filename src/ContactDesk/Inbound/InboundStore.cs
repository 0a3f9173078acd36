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
public sealed class InboundStore(AppDbContext db, IOptions<EmailOptions> options, InboundSignal signal, TimeProvider clock, ILogger<InboundStore> log)
{
    public abstract record Outcome;
    /// <param name="New">False: the same message was stored before; nothing changed.</param>
    public sealed record Stored(Guid Id, bool New, InboundState State) : Outcome;
    public sealed record TooLarge(long Max) : Outcome;
    public sealed record NotAMessage(string Reason) : Outcome;

    /// <summary>
    /// Reads <paramref name="body"/> to its end and stores it. With <paramref name="keepUnreadable"/>
    /// (IMAP, folder) a message that cannot be read or is too large is still recorded, as failed, so
    /// an admin sees it; otherwise (HTTP) the sender is told and nothing is stored.
    /// </summary>
    public async Task<Outcome> StoreAsync(Stream body, InboundSource source, bool keepUnreadable, CancellationToken ct)
    {
        var max = options.Value.Inbound.MaxMessageBytes;
        var (raw, sha256, tooLarge) = await ReadAsync(body, max, ct);
        string? error = tooLarge ? $"The message is larger than {max} bytes (Email:Inbound:MaxMessageBytes)." : null;
        string? messageId = null;
        if (!tooLarge)
        {
            try
            {
                var message = await MimeMessage.LoadAsync(new MemoryStream(raw, writable: false), ct);
                messageId = message.MessageId;
                error = MailReader.Read(message) is null ? "The message names no sender (From)." : null;
            }
            catch (FormatException e)
            {
                error = $"Not a MIME message: {e.Message}";
            }
        }
        if (error is not null && !keepUnreadable)
        {
            return tooLarge ? new TooLarge(max) : new NotAMessage(error);
        }

        var key = Key(messageId, sha256);
        if (await db.InboundEmails.AsNoTracking().Where(e => e.Key == key).Select(e => new { e.Id, e.State }).FirstOrDefaultAsync(ct) is { } known)
        {
            return new Stored(known.Id, New: false, known.State);
        }
        var id = Guid.CreateVersion7();
        var state = error is null ? InboundState.Received : InboundState.Failed;
        var now = clock.GetUtcNow().UtcDateTime;
        // ON CONFLICT: the same message arriving at the same moment (an MTA retrying, two
        // instances) is one row, and the loser learns it without an error.
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO inbound_emails (id, key, raw, source, state, received_at, error)
            VALUES ({id}, {key}, {(tooLarge ? Array.Empty<byte>() : raw)}, {WireNames.Of(source)}, {WireNames.Of(state)}, {now}, {error})
            ON CONFLICT (key) DO NOTHING
            """, ct);
        if (inserted == 0)
        {
            var other = await db.InboundEmails.AsNoTracking().Where(x => x.Key == key).Select(x => new { x.Id, x.State }).SingleAsync(ct);
            return new Stored(other.Id, New: false, other.State);
        }
        if (error is null)
        {
            signal.Notify();
        }
        else
        {
            log.LogWarning("Inbound email {Id} from {Source} kept as failed: {Error}", id, source, error);
        }
        return new Stored(id, New: true, state);
    }

    /// <summary>The whole body, hashed; past <paramref name="max"/> bytes only hashed (and the content dropped).</summary>
    private static async Task<(byte[] Raw, string Sha256, bool TooLarge)> ReadAsync(Stream body, long max, CancellationToken ct)
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
        return (buffer.ToArray(), Convert.ToHexStringLower(hash.GetHashAndReset()), tooLarge);
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
