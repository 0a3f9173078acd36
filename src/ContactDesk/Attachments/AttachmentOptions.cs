using System.ComponentModel.DataAnnotations;

namespace ContactDesk.Attachments;

public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary><c>database</c> (the bytes in <c>attachment_blobs</c>) or <c>filesystem</c> (files under <see cref="Path"/>).</summary>
    [RegularExpression("(?i)^(database|filesystem)$", ErrorMessage = "Attachments:Store must be 'database' or 'filesystem'.")]
    public string Store { get; set; } = "database";

    public string Path { get; set; } = "data/attachments";

    [Range(1, 1L << 32)] public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, 100)] public int MaxFiles { get; set; } = 5;

    [Range(1, 1L << 32)] public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    public bool OnDisk => Store.Equals("filesystem", StringComparison.OrdinalIgnoreCase);
}
