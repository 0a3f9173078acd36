namespace ContactDesk.Notifications;

/// <summary>
/// An email owed, written in the same transaction as the change that owes it (transactional outbox).
/// </summary>
public sealed class OutboxEmail
{
    public Guid Id { get; set; }
    public EmailKind Kind { get; set; }
    public Guid TicketId { get; set; }
    public required string TicketNumber { get; set; }
    public required string ToAddress { get; set; }
    public required string ToName { get; set; }

    /// <summary>Kept for every attempt so a retried email is recognisably the same message.</summary>
    public required string MessageId { get; set; }

    /// <summary>Rendered when queued, so the email says what was true when it was owed.</summary>
    public required string Subject { get; set; }
    public required string TextBody { get; set; }
    public required string HtmlBody { get; set; }

    /// <summary>The reply message this email carries (its files are attached when sent); null for the other kinds.</summary>
    public Guid? TicketMessageId { get; set; }

    /// <summary>The Message-ID this email answers, and the thread's earlier ones (space-separated): threading headers.</summary>
    public string? InReplyTo { get; set; }
    public string? ThreadReferences { get; set; }

    public EmailState State { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }

    /// <summary>Set while an instance is sending it; once past, the email may be claimed again.</summary>
    public DateTime? LockedUntil { get; set; }
    public string? LastError { get; set; }
}

public enum EmailKind { Confirmation, AdminNotification, Resolution, Reply, MessageNotification, PortalLink, SlaWarning, SlaBreached, WebhookPaused }

/// <summary>What sets each kind of email apart, in one place.</summary>
public static class EmailKinds
{
    /// <summary>
    /// The RFC 3834 <c>Auto-Submitted</c> value, so that auto-responders do not answer: none for a
    /// person's reply, <c>auto-replied</c> for what the submitter's own action sets off,
    /// <c>auto-generated</c> for notices to staff.
    /// </summary>
    public static string? AutoSubmitted(this EmailKind kind) => kind switch
    {
        EmailKind.Reply => null,
        EmailKind.Confirmation or EmailKind.Resolution or EmailKind.PortalLink => "auto-replied",
        EmailKind.AdminNotification or EmailKind.MessageNotification or EmailKind.SlaWarning or EmailKind.SlaBreached
            or EmailKind.WebhookPaused => "auto-generated",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Written from a ticket's templates (Templates/Email); a paused webhook's email is about no ticket (Webhooks/WebhookPausedEmail).</summary>
    public static bool IsAboutATicket(this EmailKind kind) => kind != EmailKind.WebhookPaused;
}

public enum EmailState { Pending, Sent, Failed }
