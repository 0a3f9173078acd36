namespace ContactDesk.Attachments;

/// <summary>
/// A file's content, stored once however many messages carry it (keyed by its SHA-256). The bytes are
/// in <see cref="Content"/> with <c>Attachments:Store=database</c>, or in a file named by the hash.
/// </summary>
public sealed class AttachmentBlob
{
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public required string ContentType { get; set; }

    /// <summary>Null when the content is on disk.</summary>
    public byte[]? Content { get; set; }

    public DateTime CreatedAt { get; set; }
}
