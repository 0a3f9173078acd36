namespace ContactDesk.Conversation;

/// <summary>One message of a ticket's thread: the submission, a staff reply or an internal note.</summary>
public sealed class TicketMessage
{
    public Guid Id { get; set; }
    public Guid TicketId { get; set; }
    public MessageKind Kind { get; set; }
    public MessageSource Source { get; set; }

    /// <summary>The staff member who wrote it; null for the submitter's messages.</summary>
    public Guid? AuthorId { get; set; }

    /// <summary>The author's name as it was when written (the account may be renamed or deleted later).</summary>
    public string? AuthorName { get; set; }

    /// <summary>The submitter's address for a customer message, the staff member's for the others.</summary>
    public required string FromEmail { get; set; }

    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<MessageAttachment> Attachments { get; set; } = [];
}

public enum MessageKind { Customer, Reply, Note }

public enum MessageSource { Form, Api, Email, Portal }

/// <summary>A file of a message: its display name and a reference to the stored content.</summary>
public sealed class MessageAttachment
{
    public Guid Id { get; set; }
    public Guid MessageId { get; set; }

    /// <summary>Its place among the message's files, as they were sent.</summary>
    public int Position { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content: the key of its <see cref="Attachments.AttachmentBlob"/>.</summary>
    public required string Sha256 { get; set; }

    /// <summary>For display and the download's Content-Disposition only; never part of a path.</summary>
    public required string FileName { get; set; }

    public long Size { get; set; }

    /// <summary>Worked out from the bytes when stored.</summary>
    public required string ContentType { get; set; }

    /// <summary>The rows for a message's staged files, in the order they were sent.</summary>
    public static List<MessageAttachment> For(Guid messageId, IReadOnlyList<Attachments.StagedFile> files) =>
        files.Select((f, i) => new MessageAttachment
        {
            Id = Guid.CreateVersion7(), MessageId = messageId, Position = i, Sha256 = f.Sha256, FileName = f.FileName, Size = f.Size, ContentType = f.ContentType,
        }).ToList();
}
