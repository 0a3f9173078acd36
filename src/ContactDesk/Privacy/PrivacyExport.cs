using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ContactDesk.Attachments;
using ContactDesk.Audit;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Inbound;
using ContactDesk.Notifications;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Privacy;

public sealed record ExportedTicket(
    Guid Id, string TicketNumber, string Name, string Email, string Subject, TicketCategory Category, TicketStatus Status,
    string? AdminNotes, string? ResolutionNotes, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ResolvedAt,
    IReadOnlyList<ExportedMessage> Messages, IReadOnlyList<HistoryEntryOut> History, IReadOnlyList<ExportedEmail> Emails,
    IReadOnlyList<ExportedPortalLink> PortalLinks, IReadOnlyList<ExportedInboundEmail> InboundEmails);

public sealed record ExportedMessage(Guid Id, MessageKind Kind, MessageSource Source, string? AuthorName, string FromEmail, string Body, DateTime CreatedAt, IReadOnlyList<ExportedFile> Attachments);

/// <summary><c>Path</c>: where the file's bytes are in the ZIP.</summary>
public sealed record ExportedFile(Guid Id, string FileName, long Size, string ContentType, string Sha256, string Path);

public sealed record ExportedEmail(Guid Id, EmailKind Kind, string To, string Subject, string TextBody, EmailState State, DateTime CreatedAt, DateTime? SentAt);

public sealed record ExportedPortalLink(DateTime CreatedAt, DateTime? RevokedAt);

/// <summary>A raw email received about the ticket; <c>Path</c>: the message as received (.eml) in the ZIP.</summary>
public sealed record ExportedInboundEmail(Guid Id, InboundSource Source, InboundState State, DateTime ReceivedAt, int Size, string Path);

/// <summary>
/// Writes the ZIP of everything kept about one address: <c>data.json</c> (the tickets with their
/// messages, history, emails sent to the address, portal links and raw mails), then the files. One
/// ticket and one file at a time are in memory, so an address with many tickets streams as well as one with few.
/// </summary>
public static class PrivacyExport
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public static async Task WriteAsync(AppDbContext db, AttachmentStore store, string address, IReadOnlyList<Guid> ticketIds, Stream body, DateTime now, CancellationToken ct)
    {
        var output = new AsyncWriteStream(body);
        await using (var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, ct))
        {
            await WriteEntriesAsync(zip, db, store, address, ticketIds, now, ct);
        }
        await output.DrainAsync(ct);
    }

    private static async Task WriteEntriesAsync(ZipArchive zip, AppDbContext db, AttachmentStore store, string address, IReadOnlyList<Guid> ticketIds, DateTime now, CancellationToken ct)
    {
        var files = new List<(string Path, string Sha256)>();
        var mails = new List<(string Path, Guid Id)>();
        await using (var data = await zip.CreateEntry("data.json", CompressionLevel.Optimal).OpenAsync(ct))
        {
            await WriteRawAsync(data, $"{{\"email\":{JsonSerializer.Serialize(address, Json)},\"exported_at\":{JsonSerializer.Serialize(now, Json)},\"tickets\":[", ct);
            var first = true;
            foreach (var id in ticketIds)
            {
                if (await ReadTicketAsync(db, id, address, ct) is not { } ticket)
                {
                    continue; // deleted meanwhile
                }
                files.AddRange(ticket.Messages.SelectMany(m => m.Attachments).Select(f => (f.Path, f.Sha256)));
                mails.AddRange(ticket.InboundEmails.Select(m => (m.Path, m.Id)));
                await WriteRawAsync(data, first ? "" : ",", ct);
                await data.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(ticket, Json), ct);
                first = false;
            }
            await WriteRawAsync(data, "]}", ct);
        }
        foreach (var (path, sha256) in files)
        {
            await using var content = await store.OpenAsync(db, sha256, ct);
            if (content is not null)
            {
                await using var entry = await zip.CreateEntry(path, CompressionLevel.Fastest).OpenAsync(ct);
                await content.CopyToAsync(entry, ct);
            }
        }
        foreach (var (path, id) in mails)
        {
            var raw = await db.InboundEmails.AsNoTracking().Where(e => e.Id == id).Select(e => e.Raw).SingleOrDefaultAsync(ct);
            if (raw is not null)
            {
                await using var entry = await zip.CreateEntry(path, CompressionLevel.Optimal).OpenAsync(ct);
                await entry.WriteAsync(raw, ct);
            }
        }
    }

    private static async Task<ExportedTicket?> ReadTicketAsync(AppDbContext db, Guid id, string address, CancellationToken ct)
    {
        var t = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (t is null)
        {
            return null;
        }
        var messages = await db.Messages.AsNoTracking().Include(m => m.Attachments).Where(m => m.TicketId == id)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        var emails = await db.OutboxEmails.AsNoTracking().Where(e => e.TicketId == id && e.ToAddress.ToLower() == address)
            .OrderBy(e => e.CreatedAt)
            .Select(e => new ExportedEmail(e.Id, e.Kind, e.ToAddress, e.Subject, e.TextBody, e.State, e.CreatedAt, e.SentAt)).ToListAsync(ct);
        var links = await db.PortalTokens.AsNoTracking().Where(p => p.TicketId == id).OrderBy(p => p.CreatedAt)
            .Select(p => new ExportedPortalLink(p.CreatedAt, p.RevokedAt)).ToListAsync(ct);
        var inbound = await db.InboundEmails.AsNoTracking().Where(e => e.TicketId == id).OrderBy(e => e.ReceivedAt)
            .Select(e => new { e.Id, e.Source, e.State, e.ReceivedAt, Size = e.Raw.Length }).ToListAsync(ct);
        return new ExportedTicket(
            t.Id, t.TicketNumber, t.Name, t.Email, t.Subject, t.Category, t.Status, t.AdminNotes, t.ResolutionNotes,
            t.CreatedAt, t.UpdatedAt, t.ResolvedAt,
            messages.Select(m => new ExportedMessage(m.Id, m.Kind, m.Source, m.AuthorName, m.FromEmail, m.Body, m.CreatedAt,
                m.Attachments.OrderBy(a => a.Position).Select(a => new ExportedFile(
                    a.Id, a.FileName, a.Size, a.ContentType, a.Sha256, $"attachments/{t.TicketNumber}/{a.Id}/{SafeName(a.FileName)}")).ToList())).ToList(),
            await HistoryEndpoints.ReadAsync(db, id, ct),
            emails,
            links,
            inbound.Select(e => new ExportedInboundEmail(e.Id, e.Source, e.State, e.ReceivedAt, e.Size, $"emails/{t.TicketNumber}/{e.Id}.eml")).ToList());
    }

    /// <summary>The sender's file name reduced to characters every unzip tool accepts; never a path.</summary>
    public static string SafeName(string fileName)
    {
        var safe = new string(fileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "file" : safe;
    }

    private static Task WriteRawAsync(Stream stream, string text, CancellationToken ct) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceSetup.Configure(options);
        return options;
    }
}
