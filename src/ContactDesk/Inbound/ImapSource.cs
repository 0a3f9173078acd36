using ContactDesk.Data;
using ContactDesk.Notifications;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactDesk.Inbound;

/// <summary>
/// Reads an IMAP folder by UID: every message above the remembered last UID (while UIDVALIDITY
/// holds) is stored raw, then flagged <c>\Seen</c> (or moved to the processed folder), then the last
/// UID advances, a group of messages at a time (one FETCH, one commit, one STORE). A crash
/// anywhere in that order re-reads at most a group of messages, which the store
/// recognises (their key is known): nothing twice, nothing lost, whoever else reads the mailbox.
/// Waits with IDLE where the server offers it, else polls.
/// </summary>
public sealed class ImapSource(IServiceScopeFactory scopes, IOptionsMonitor<EmailOptions> options, InboundWriteGate gate, ILogger<ImapSource> log)
    : BackgroundService
{
    private const int Chunk = 100;

    /// <summary>At most this many bytes of mail in memory at once (a single larger message alone).</summary>
    private const long GroupBytes = 16 * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield(); // let the host finish starting
        var failing = false;
        while (!stopping.IsCancellationRequested && options.CurrentValue.Inbound.Imap is { Enabled: true } imap)
        {
            try
            {
                await RunSessionAsync(imap, () => failing = false, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Once per outage, in one line: the server down, a password changed, the database away.
                if (!failing)
                {
                    log.LogWarning("Cannot read mail from {Host}:{Port} ({Error}); trying again every {Seconds} s.",
                        imap.Host, imap.Port, e.GetBaseException().Message, imap.PollSeconds);
                    failing = true;
                }
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(imap.PollSeconds), stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task RunSessionAsync(ImapOptions imap, Action connected, CancellationToken stopping)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(imap.Host!, imap.Port, imap.UseTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, stopping);
        await client.AuthenticateAsync(imap.Username ?? "", imap.Password ?? "", stopping);
        var folder = (ImapFolder)await client.GetFolderAsync(imap.Folder, stopping);
        await folder.OpenAsync(FolderAccess.ReadWrite, stopping);
        var processed = string.IsNullOrWhiteSpace(imap.ProcessedFolder) ? null : await client.GetFolderAsync(imap.ProcessedFolder, stopping);
        connected();
        var name = $"{imap.Username}@{imap.Host}/{imap.Folder}";
        while (!stopping.IsCancellationRequested)
        {
            while (await ReadNewAsync(name, folder, processed, stopping) == Chunk)
            {
                // a backlog: straight on with the next chunk
            }
            var wait = TimeSpan.FromSeconds(Math.Min(imap.PollSeconds, 25 * 60)); // IDLE is renewed within 29 minutes (RFC 2177)
            if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                using var done = new CancellationTokenSource(wait);
                void Arrived(object? sender, EventArgs e) => done.Cancel();
                folder.CountChanged += Arrived;
                try
                {
                    await client.IdleAsync(done.Token, stopping);
                }
                finally
                {
                    folder.CountChanged -= Arrived;
                }
            }
            else
            {
                await Task.Delay(wait, stopping);
                await client.NoOpAsync(stopping);
            }
        }
        await client.DisconnectAsync(true, CancellationToken.None);
    }

    /// <summary>Stores up to one chunk of new messages, flags them, then remembers the last UID; returns how many.</summary>
    private async Task<int> ReadNewAsync(string name, ImapFolder folder, IMailFolder? processed, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var mailbox = await db.InboundMailboxes.SingleOrDefaultAsync(m => m.Name == name, ct);
        if (mailbox is null)
        {
            mailbox = new InboundMailbox { Name = name };
            db.InboundMailboxes.Add(mailbox);
        }
        if (mailbox.UidValidity != folder.UidValidity)
        {
            // A new UIDVALIDITY numbers the folder afresh: read it all again (the store knows what it has).
            mailbox.UidValidity = folder.UidValidity;
            mailbox.LastUid = 0;
        }
        var last = (uint)mailbox.LastUid;
        var found = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(folder.UidValidity, last + 1), UniqueId.MaxValue)), ct);
        // "n:*" always includes the highest UID, even when it is not above n.
        var uids = found.Where(u => u.Id > last).OrderBy(u => u.Id).Take(Chunk).ToList();
        if (uids.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            return 0;
        }
        var store = scope.ServiceProvider.GetRequiredService<InboundStore>();
        var max = options.CurrentValue.Inbound.MaxMessageBytes;
        var sizes = await folder.FetchAsync(uids, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Size), ct);
        foreach (var group in Groups(uids, sizes.Where(m => m.Size is not null).DistinctBy(m => m.UniqueId.Id).ToDictionary(m => m.UniqueId.Id, m => (long)m.Size!.Value)))
        {
            // One FETCH for the group and one commit for its messages, rather than a round trip and a commit each.
            var messages = new List<(UniqueId Uid, InboundStore.RawMessage Message)>(group.Count);
            await folder.GetStreamsAsync(group, async (_, _, uid, stream, token) => messages.Add((uid, await InboundStore.ReadAsync(stream, max, token))), ct);
            await store.StoreAllAsync(messages.OrderBy(m => m.Uid.Id).Select(m => m.Message).ToList(), InboundSource.Imap, ct);
            await folder.AddFlagsAsync(group, MessageFlags.Seen, silent: true, ct);
            if (processed is not null)
            {
                await folder.MoveToAsync(group, processed, ct);
            }
            mailbox.LastUid = group[^1].Id;
            await gate.RunAsync(db, () => db.SaveChangesAsync(ct), ct);
        }
        return uids.Count;
    }

    /// <summary>
    /// The UIDs in order, cut into groups of at most <see cref="GroupBytes"/> (a larger message alone):
    /// a group is held in memory until it is stored.
    /// </summary>
    private static IEnumerable<List<UniqueId>> Groups(List<UniqueId> uids, Dictionary<uint, long> sizes)
    {
        var group = new List<UniqueId>();
        long bytes = 0;
        foreach (var uid in uids)
        {
            var size = sizes.GetValueOrDefault(uid.Id);
            if (group.Count > 0 && bytes + size > GroupBytes)
            {
                yield return group;
                group = [];
                bytes = 0;
            }
            group.Add(uid);
            bytes += size;
        }
        if (group.Count > 0)
        {
            yield return group;
        }
    }
}
