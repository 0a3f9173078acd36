using ContactDesk.Conversation;

namespace ContactDesk.Portal;

/// <summary>What the portal page and API share about a submitter's message beyond posting it.</summary>
public static class PortalPost
{
    public const string ArchivedReason = "This ticket is archived: it can be read but takes no more messages.";

    /// <summary>The honeypot was filled in: a bot.</summary>
    public static bool IsBot(PortalMessageRequest request) => !string.IsNullOrEmpty(request.Website);

    /// <summary>As the contact form does for a bot: an answer that looks like success, and nothing stored or emailed.</summary>
    public static SubmitterMessagePoster.Posted Decoy(Guid ticketId, string body) => new(
        new MessageOut(Guid.CreateVersion7(), ticketId, MessageKind.Customer, null, "", body, MessageSource.Portal, [], DateTime.UtcNow, null),
        Reopened: false);
}
