using MimeKit;

namespace ContactDesk.Inbound;

/// <summary>
/// RFC 3834 and common practice: mail a program sent (auto-replies, lists, bulk mail, bounces) is
/// never answered with a confirmation, or two robots would write to each other for ever.
/// </summary>
public static class LoopGuard
{
    public static bool IsAutomatic(MimeMessage message)
    {
        var headers = message.Headers;
        if (headers[HeaderId.AutoSubmitted] is { } autoSubmitted && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (headers["Precedence"]?.Trim().ToLowerInvariant() is "bulk" or "junk" or "list")
        {
            return true;
        }
        if (headers.Contains(HeaderId.ListId) || headers.Contains("X-Auto-Response-Suppress"))
        {
            return true;
        }
        var from = message.From.Mailboxes.FirstOrDefault()?.LocalPart ?? "";
        return from.Equals("MAILER-DAEMON", StringComparison.OrdinalIgnoreCase) || from.Equals("postmaster", StringComparison.OrdinalIgnoreCase)
            || message.Body is MultipartReport;
    }
}
