using ContactDesk.Tickets;

namespace ContactDesk.Web;

/// <summary>How categories, statuses and priorities read on the pages.</summary>
public static class CategoryLabels
{
    public static string Of(TicketCategory category) => category switch
    {
        TicketCategory.General => "General question",
        TicketCategory.Bug => "Something is broken",
        TicketCategory.Feature => "Feature request",
        TicketCategory.Abuse => "Report abuse",
        TicketCategory.Data => "My data / privacy",
        TicketCategory.Account => "My account",
        _ => "Something else",
    };

    public static string Of(TicketStatus status) => status switch
    {
        TicketStatus.Pending => "Pending",
        TicketStatus.InProgress => "In progress",
        TicketStatus.Resolved => "Resolved",
        _ => "Archived",
    };

    public static string Of(TicketPriority priority) => priority switch
    {
        TicketPriority.Low => "Low",
        TicketPriority.High => "High",
        TicketPriority.Urgent => "Urgent",
        _ => "Normal",
    };
}
