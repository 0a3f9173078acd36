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
    public async Task<MailFileSet> StageAsync(IReadOnlyList<MimeEntity> parts, CancellationToken ct)
    {
        var limits = options.Value;
        var upload = new StagedUpload();
        var leftOut = new List<string>();
        try
        {
            foreach (var (part, index) in parts.Select((p, i) => (p, i)))
            {
                var name = StagedFile.DisplayName(NameOf(part, index));
                await using var content = await OpenAsync(part, ct);
                if (content is null)
                {
                    continue;
                }
                var (file, _) = upload.Files.Count >= limits.MaxFiles
                    ? (null, "too many")
                    : await uploads.StageFileAsync(content, name, limits.MaxMessageBytes - upload.TotalBytes, ct);
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

    private static string NameOf(MimeEntity part, int index) => part switch
    {
        MimePart { FileName: { Length: > 0 } fileName } => fileName,
        MessagePart message => $"{(string.IsNullOrWhiteSpace(message.Message?.Subject) ? "message" : message.Message.Subject)}.eml",
        _ => $"{part.ContentType.MediaType}-{index + 1}.{part.ContentType.MediaSubtype}",
    };

    /// <summary>A part's content decoded (base64, quoted-printable) as it is read; an attached email as written.</summary>
    private static async Task<Stream?> OpenAsync(MimeEntity part, CancellationToken ct)
    {
        switch (part)
        {
            case MimePart { Content: { } content }:
                return content.Open();
            case MessagePart { Message: { } message }:
                var bytes = new MemoryStream();
                await message.WriteToAsync(bytes, ct);
                bytes.Position = 0;
                return bytes;
            default:
                return null;
        }
    }

    /// <summary>The text, with a line naming the files that were not kept.</summary>
    public static string WithNote(string text, IReadOnlyList<string> leftOut) => leftOut.Count == 0
        ? text
        : $"{text}\n\n[Files left out (over the attachment limits): {string.Join(", ", leftOut)}]".TrimStart('\n');
}
