using System.Text.Encodings.Web;
using ContactDesk.Sla;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Html;

namespace ContactDesk.Web;

/// <summary>The SLA badge of the queue and the ticket page: the state and the time left (or over) to the next deadline.</summary>
public static class SlaLabels
{
    public static IHtmlContent Badge(SlaOut? sla, DateTime? firstResponseAt, TicketStatus status, DateTime now)
    {
        if (sla?.State is not { } state)
        {
            return HtmlString.Empty;
        }
        var due = firstResponseAt is null && sla.FirstResponseDueAt < sla.ResolutionDueAt ? sla.FirstResponseDueAt : sla.ResolutionDueAt;
        var text = state switch
        {
            SlaState.Met => "SLA met",
            _ when status is TicketStatus.Resolved or TicketStatus.Archived => "SLA missed",
            _ when sla.Paused => $"SLA paused · {Span(due!.Value - now)} {(due > now ? "left" : "over")}",
            _ when due > now => $"{Span(due!.Value - now)} left",
            _ => $"{Span(now - due!.Value)} over",
        };
        var title = $"First response due {sla.FirstResponseDueAt:yyyy-MM-dd HH:mm} UTC, resolution due {sla.ResolutionDueAt:yyyy-MM-dd HH:mm} UTC";
        return new HtmlString($"<span class=\"sla sla-{WireNames.Of(state)}\" title=\"{HtmlEncoder.Default.Encode(title)}\">{HtmlEncoder.Default.Encode(text)}</span>");
    }

    /// <summary>"3 d 4 h", "2 h 5 min", "12 min" (real time).</summary>
    private static string Span(TimeSpan span)
    {
        span = span.Duration();
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{Math.Max(1, (int)Math.Ceiling(span.TotalMinutes))} min";
    }
}
