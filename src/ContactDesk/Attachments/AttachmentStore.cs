using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContactDesk.Attachments;

/// <summary>
/// Keeps file contents once per SHA-256: as rows of <c>attachment_blobs</c> (the default) or as files
/// named by their hash under <c>Attachments:Path</c>. No name the sender chose ever reaches a path.
/// </summary>
public sealed class AttachmentStore(IOptions<AttachmentOptions> options)
{
    /// <summary>
    /// Stores the contents of <paramref name="files"/> that are not stored yet. Call it inside the
    /// transaction that adds the messages referring to them: a rollback then keeps no row (a file
    /// already moved to disk stays, harmless, and is reused by the next upload of the same bytes).
    /// </summary>
    public async Task SaveAsync(AppDbContext db, IReadOnlyList<StagedFile> files, DateTime now, CancellationToken ct)
    {
        if (files.Count == 0)
        {
            return;
        }
        var hashes = files.Select(f => f.Sha256).Distinct().ToList();
        var known = await db.AttachmentBlobs.Where(b => hashes.Contains(b.Sha256)).Select(b => b.Sha256).ToListAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            foreach (var file in files.DistinctBy(f => f.Sha256).Where(f => !known.Contains(f.Sha256)))
            {
                if (options.Value.OnDisk)
                {
                    MoveIntoPlace(file);
                    await db.InsertBlobAsync(file.Sha256, file.Size, file.ContentType, null, now, ct);
                    continue;
                }
                await using var content = new FileStream(file.TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await db.InsertBlobAsync(file.Sha256, file.Size, file.ContentType, content, now, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The content, or null when it is missing (a file deleted from disk by hand).</summary>
    public async Task<Stream?> OpenAsync(AppDbContext db, string sha256, CancellationToken ct)
    {
        if (options.Value.OnDisk && PathOf(sha256) is var path && File.Exists(path))
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        }
        var content = await db.AttachmentBlobs.AsNoTracking().Where(b => b.Sha256 == sha256).Select(b => b.Content).SingleOrDefaultAsync(ct);
        return content is null ? null : new MemoryStream(content, writable: false);
    }

    /// <summary>
    /// Removes the file of content whose <c>attachment_blobs</c> row is gone (after that deletion has
    /// committed); nothing to do when the content is kept in the database.
    /// </summary>
    public void DeleteFile(string sha256)
    {
        if (options.Value.OnDisk)
        {
            File.Delete(PathOf(sha256));
        }
    }

    /// <summary>{Path}/{first two hex digits}/{sha256}: only hex digits the service computed.</summary>
    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a SHA-256 in lower-case hex.", nameof(sha256));
        }
        return Path.Combine(options.Value.Path, sha256[..2], sha256);
    }

    private void MoveIntoPlace(StagedFile file)
    {
        var target = PathOf(file.Sha256);
        if (File.Exists(target))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            // A rename within one file system: a reader never sees half a file.
            File.Move(file.TempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // The same bytes arrived at the same time in another request.
        }
    }
}
