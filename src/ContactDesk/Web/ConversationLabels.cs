using ContactDesk.Conversation;
using ContactDesk.Tickets;

namespace ContactDesk.Web;

/// <summary>How a ticket's conversation reads on the pages: kinds of message, sources, email states, sizes.</summary>
public static class ConversationLabels
{
    public static string Of(MessageKind kind) => kind switch
    {
        MessageKind.Customer => "Customer message",
        MessageKind.Reply => "Reply",
        _ => "Internal note",
    };

    public static string Of(MessageSource source) => source switch
    {
        MessageSource.Form => "contact form",
        MessageSource.Api => "API",
        MessageSource.Email => "email",
        _ => "portal",
    };

    public static string Of(MessageDelivery delivery) => delivery switch
    {
        MessageDelivery.Queued => "Email queued",
        MessageDelivery.Sent => "Email sent",
        _ => "Email failed",
    };

    /// <summary>Who must act next, as the queue and the ticket page say it.</summary>
    public static string Of(WaitingOn? waitingOn) => waitingOn switch
    {
        WaitingOn.Staff => "Needs reply",
        WaitingOn.Submitter => "Waiting on submitter",
        _ => "—",
    };

    /// <summary>A file size for people: 512 bytes, 3.4 KB, 10 MB (powers of 1024, as the limits are set).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };
}
