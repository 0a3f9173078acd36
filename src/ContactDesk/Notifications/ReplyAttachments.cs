using ContactDesk.Attachments;
using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace ContactDesk.Notifications;

/// <summary>A reply email carries its message's files, read from the store when the email is sent.</summary>
public static class ReplyAttachments
{
    public static async Task AddAsync(AppDbContext db, AttachmentStore store, Guid messageId, AttachmentCollection into, CancellationToken ct)
    {
        var files = await db.MessageAttachments.AsNoTracking().Where(a => a.MessageId == messageId).OrderBy(a => a.Position)
            .Select(a => new { a.FileName, a.ContentType, a.Sha256 }).ToListAsync(ct);
        foreach (var file in files)
        {
            await using var content = await store.OpenAsync(db, file.Sha256, ct)
                ?? throw new InvalidOperationException($"The content of attachment '{file.FileName}' ({file.Sha256}) is missing.");
            // Loaded into the message: MimeKit encodes it when sending, after this stream is closed.
            var part = await into.AddAsync(file.FileName, content, ContentType.Parse(file.ContentType), ct);
            // Base64 for every file, text too: otherwise line endings would be rewritten and the file not the same bytes.
            ((MimePart)part).ContentTransferEncoding = ContentEncoding.Base64;
        }
    }
}
