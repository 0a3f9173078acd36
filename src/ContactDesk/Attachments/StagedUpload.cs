namespace ContactDesk.Attachments;

/// <summary>A received file, written to a temporary file while it arrived; nothing is stored yet.</summary>
/// <param name="FileName">The sender's name for it, reduced to a display name (see <see cref="DisplayName"/>).</param>
public sealed record StagedFile(string TempPath, string FileName, long Size, string Sha256, string ContentType)
{
    public const int FileNameMax = 255;

    /// <summary>
    /// The last segment of the sender's name, without control characters, at most 255 characters:
    /// <c>../../etc/passwd</c> is shown as <c>passwd</c>. It is only ever displayed, never a path.
    /// </summary>
    public static string DisplayName(string? sent)
    {
        var name = (sent ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string([.. name.Where(c => !char.IsControl(c) && !char.IsSurrogate(c))]).Trim();
        if (name.Length > FileNameMax)
        {
            var dot = name.LastIndexOf('.');
            var extension = dot > 0 && name.Length - dot <= 16 ? name[dot..] : "";
            name = name[..(FileNameMax - extension.Length)] + extension;
        }
        return name is "" or "." or ".." ? "file" : name;
    }
}

/// <summary>
/// The fields and files of one multipart request. Disposing it deletes the temporary files (those
/// the store has moved away are gone already).
/// </summary>
public sealed class StagedUpload : IDisposable
{
    public static readonly StagedUpload Empty = new();

    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public List<StagedFile> Files { get; } = [];

    public long TotalBytes => Files.Sum(f => f.Size);

    public void Dispose()
    {
        foreach (var file in Files)
        {
            try
            {
                File.Delete(file.TempPath);
            }
            catch (IOException)
            {
                // Left in the temporary folder; harmless, and the OS or an operator clears it.
            }
        }
    }
}
