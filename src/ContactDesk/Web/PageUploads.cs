using ContactDesk.Attachments;
using ContactDesk.Hosting;
using Microsoft.Extensions.Options;

namespace ContactDesk.Web;

/// <summary>
/// The files of a page's form, staged by the API's <see cref="MultipartUpload"/> (same limits,
/// hashing and type detection). A limit passed is a field error beside the file input, not a 413 page.
/// </summary>
public sealed class PageUploads(MultipartUpload uploads, IOptions<AttachmentOptions> options)
{
    public const string Field = MultipartUpload.FilesField;

    /// <summary>The limits in words, for the hint under a file input.</summary>
    public string Limits
    {
        get
        {
            var o = options.Value;
            return $"Up to {o.MaxFiles} files, {ConversationLabels.Size(o.MaxFileBytes)} each, {ConversationLabels.Size(o.MaxMessageBytes)} together.";
        }
    }

    /// <summary>The staged files (the caller disposes them), or null with the "files" error added when over a limit.</summary>
    public async Task<StagedUpload?> StageAsync(IEnumerable<IFormFile> files, FieldErrors errors, CancellationToken ct)
    {
        switch (await uploads.StageAsync(files, ct))
        {
            case MultipartUpload.Read read:
                return read.Upload;
            default:
                // A browser cannot keep the chosen files across the round trip: say so.
                errors.Add(Field, $"The files are too large or too many. {Limits} Nothing was sent; please choose the files again.");
                return null;
        }
    }
}
