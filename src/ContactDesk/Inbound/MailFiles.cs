using ContactDesk.Attachments;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ContactDesk.Inbound;

/// <summary>An email's files staged as uploads are (same limits, hashing and type sniffing), and the names of those left out.</summary>
public sealed class MailFileSet(StagedUpload upload, List<string> leftOut) : IDisposable
{
    public StagedUpload Upload { get; } = upload;
    public IReadOnlyList<string> LeftOut { get; } = leftOut;

    public void Dispose() => Upload.Dispose();
}

/// <summary>
/// Attachments and inline images of an email become the message's files under the attachment
/// limits (§7). A file over a limit is left out, and the body says which.
/// </summary>
public sealed class MailFiles(MultipartUpload uploads, IOptions<AttachmentOptions> options)
{
    public async Task<MailFileSet> StageAsync(IReadOnlyList<MimePart> parts, CancellationToken ct)
    {
        var limits = options.Value;
        var upload = new StagedUpload();
        var leftOut = new List<string>();
        try
        {
            foreach (var (part, index) in parts.Select((p, i) => (p, i)))
            {
                var name = StagedFile.DisplayName(part.FileName ?? $"{part.ContentType.MediaType}-{index + 1}.{part.ContentType.MediaSubtype}");
                if (part.Content is null)
                {
                    continue;
                }
                if (upload.Files.Count >= limits.MaxFiles)
                {
                    leftOut.Add(name);
                    continue;
                }
                await using var content = part.Content.Open(); // decoded (base64, quoted-printable) as it is read
                var (file, _) = await uploads.StageFileAsync(content, name, limits.MaxMessageBytes - upload.TotalBytes, ct);
                if (file is null)
                {
                    leftOut.Add(name);
                }
                else
                {
                    upload.Files.Add(file);
                }
            }
            return new MailFileSet(upload, leftOut);
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    /// <summary>The text, with a line naming the files that were not kept.</summary>
    public static string WithNote(string text, IReadOnlyList<string> leftOut) => leftOut.Count == 0
        ? text
        : $"{text}\n\n[Files left out (over the attachment limits): {string.Join(", ", leftOut)}]".TrimStart('\n');
}
