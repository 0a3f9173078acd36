using System.Security.Cryptography;
using System.Text;
using ContactDesk.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ContactDesk.Attachments;

/// <summary>
/// Reads a <c>multipart/form-data</c> body as it streams in: text fields into memory (small), each
/// file straight to a temporary file while its SHA-256 and type are worked out. The limits are
/// checked while reading, so a request over one stops at once with nothing kept. The framework's
/// form reader is not used: it would buffer large files (in memory, then on disk) before any check.
/// </summary>
public sealed class MultipartUpload(IOptions<AttachmentOptions> options)
{
    /// <summary>Field name of the file parts.</summary>
    public const string FilesField = "files";

    /// <summary>A text field (a message is at most 50,000 characters, up to 4 bytes each in UTF-8).</summary>
    public const int MaxFieldBytes = 256 * 1024;

    public const int MaxFields = 32;

    /// <summary>Room for the part headers and boundaries around the files, for the request body limit.</summary>
    public const long Overhead = 1024 * 1024;

    public abstract record Outcome;
    public sealed record Read(StagedUpload Upload) : Outcome;
    /// <summary>Over a limit: answered 413.</summary>
    public sealed record TooLarge(string Reason) : Outcome;
    /// <summary>Not a form this endpoint can read: answered 400.</summary>
    public sealed record Malformed(string Reason) : Outcome;

    public static bool IsMultipart(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    public long MaxRequestBytes => options.Value.MaxMessageBytes + Overhead;

    public async Task<Outcome> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var limits = options.Value;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return new Malformed("A multipart/form-data body needs a boundary of at most 200 characters.");
        }

        var upload = new StagedUpload();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data") || disposition.Name.Value is not { Length: > 0 } rawName)
                {
                    return Fail(upload, new Malformed("Every part needs 'Content-Disposition: form-data; name=...'."));
                }
                var name = HeaderUtilities.RemoveQuotes(rawName).Value!;
                var isFile = disposition.FileName.HasValue || disposition.FileNameStar.HasValue;
                if (!isFile)
                {
                    if (upload.Fields.Count >= MaxFields || upload.Fields.ContainsKey(name))
                    {
                        return Fail(upload, new Malformed($"Too many fields, or '{name}' given twice."));
                    }
                    if (await ReadTextAsync(section.Body, ct) is not { } text)
                    {
                        return Fail(upload, new TooLarge($"The field '{name}' is longer than {MaxFieldBytes} bytes."));
                    }
                    upload.Fields[name] = text;
                    continue;
                }
                if (name != FilesField)
                {
                    return Fail(upload, new Malformed($"Files go in parts named '{FilesField}'."));
                }
                var sentName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (string.IsNullOrEmpty(sentName))
                {
                    // A browser sends an empty file part for a file input left empty.
                    await section.Body.DrainAsync(ct);
                    continue;
                }
                if (upload.Files.Count >= limits.MaxFiles)
                {
                    return Fail(upload, new TooLarge($"At most {limits.MaxFiles} files per message (Attachments:MaxFiles)."));
                }
                var staged = await StageAsync(section.Body, sentName, limits, limits.MaxMessageBytes - upload.TotalBytes, ct);
                if (staged is TooLarge tooLarge)
                {
                    return Fail(upload, tooLarge);
                }
                upload.Files.Add(((Staged)staged).File);
            }
            return new Read(upload);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested && e is not BadHttpRequestException)
        {
            return Fail(upload, new Malformed("The multipart body is malformed or ends early."));
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    private sealed record Staged(StagedFile File) : Outcome;

    /// <summary>
    /// Stages files a Razor page already has as <see cref="IFormFile"/>s (the page's antiforgery check
    /// reads the form, which the framework buffers to disk beyond 64 KiB): the same limits, hashing and
    /// type detection as a streamed upload. Empty file inputs are skipped.
    /// </summary>
    public async Task<Outcome> StageAsync(IEnumerable<IFormFile> files, CancellationToken ct)
    {
        var limits = options.Value;
        var upload = new StagedUpload();
        try
        {
            foreach (var file in files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)))
            {
                if (upload.Files.Count >= limits.MaxFiles)
                {
                    return Fail(upload, new TooLarge($"At most {limits.MaxFiles} files per message (Attachments:MaxFiles)."));
                }
                await using var content = file.OpenReadStream();
                var staged = await StageAsync(content, file.FileName, limits, limits.MaxMessageBytes - upload.TotalBytes, ct);
                if (staged is TooLarge tooLarge)
                {
                    return Fail(upload, tooLarge);
                }
                upload.Files.Add(((Staged)staged).File);
            }
            return new Read(upload);
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    private static Outcome Fail(StagedUpload upload, Outcome outcome)
    {
        upload.Dispose();
        return outcome;
    }

    private static async Task<string?> ReadTextAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxFieldBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        // Invalid UTF-8 becomes U+FFFD, as the HTML form reader does.
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Stages one file that does not come in a form (an email's attachment) under the same limits,
    /// <paramref name="roomLeft"/> being what the message's earlier files left; the reason when it is over one.
    /// </summary>
    public async Task<(StagedFile? File, string? TooLarge)> StageFileAsync(Stream content, string sentName, long roomLeft, CancellationToken ct) =>
        await StageAsync(content, sentName, options.Value, roomLeft, ct) switch
        {
            Staged staged => (staged.File, null),
            TooLarge tooLarge => (null, tooLarge.Reason),
            var other => throw new InvalidOperationException($"Unexpected {other}."),
        };

    /// <summary>Copies one file part to a temporary file, hashing and checking it on the way.</summary>
    private async Task<Outcome> StageAsync(Stream body, string sentName, AttachmentOptions limits, long roomLeft, CancellationToken ct)
    {
        var folder = StagingFolder(limits);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.part");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new ContentSniffer.Utf8Check();
        var head = new byte[ContentSniffer.HeadBytes];
        var headLength = 0;
        long size = 0;
        var chunk = new byte[81920];
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(chunk, ct)) > 0)
                {
                    size += read;
                    if (size > limits.MaxFileBytes)
                    {
                        throw new LimitPassed($"A file is larger than {limits.MaxFileBytes} bytes (Attachments:MaxFileBytes).");
                    }
                    if (size > roomLeft)
                    {
                        throw new LimitPassed($"The files of one message are larger than {limits.MaxMessageBytes} bytes together (Attachments:MaxMessageBytes).");
                    }
                    var data = chunk.AsMemory(0, read);
                    hash.AppendData(data.Span);
                    text.Add(data.Span);
                    var take = Math.Min(head.Length - headLength, read);
                    data.Span[..take].CopyTo(head.AsSpan(headLength));
                    headLength += take;
                    await file.WriteAsync(data, ct);
                }
            }
            text.Add([], final: true);
            var type = ContentSniffer.Detect(head.AsSpan(0, headLength), text.IsText);
            return new Staged(new StagedFile(path, StagedFile.DisplayName(sentName), size, Convert.ToHexStringLower(hash.GetHashAndReset()), type));
        }
        catch (LimitPassed limit)
        {
            File.Delete(path);
            return new TooLarge(limit.Message);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Under <c>Attachments:Path</c> whichever the store: on disk, storing a file is then a rename within
    /// one file system; in the database, uploads still land on the data volume the operator chose, not /tmp.
    /// </summary>
    public static string StagingFolder(AttachmentOptions limits) => Path.Combine(limits.Path, ".incoming");

    private sealed class LimitPassed(string message) : Exception(message);
}
