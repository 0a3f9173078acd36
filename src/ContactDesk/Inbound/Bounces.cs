using ContactDesk.Data;
using ContactDesk.Notifications;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace ContactDesk.Inbound;

/// <summary>
/// Delivery status notifications (RFC 3464, <c>multipart/report; report-type=delivery-status</c>):
/// the email of ours it is about is marked failed and the ticket's history says so. A bounce never
/// becomes a ticket or a message, and is never answered.
/// </summary>
public static class Bounces
{
    public sealed record Report(string? OriginalMessageId, string Status, bool Failed);

    /// <summary>The report when <paramref name="message"/> is a delivery status notification, else null.</summary>
    public static Report? Read(MimeMessage message)
    {
        if (message.Body is not MultipartReport report || !"delivery-status".Equals(report.ReportType, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // The original's Message-ID: from the returned message or its headers, else In-Reply-To.
        var original = report.OfType<MessagePart>().Select(p => p.Message?.MessageId).FirstOrDefault(id => !string.IsNullOrEmpty(id))
            ?? message.InReplyTo;
        var recipients = report.OfType<MessageDeliveryStatus>().FirstOrDefault()?.StatusGroups.Skip(1).ToList() ?? [];
        var failed = recipients.Count == 0 || recipients.Any(g => "failed".Equals(g["Action"]?.Trim(), StringComparison.OrdinalIgnoreCase));
        var status = string.Join("; ", recipients.Select(g => $"{g["Status"]?.Trim()} {g["Diagnostic-Code"]?.Trim()}".Trim()).Where(s => s.Length > 0));
        return new Report(original, status.Length > 0 ? status : "delivery failed", failed);
    }

    /// <summary>Marks the outbox email the report names failed; false when it names none of ours (or not a failure).</summary>
    public static async Task<bool> ApplyAsync(AppDbContext db, Report report, DateTime now, CancellationToken ct)
    {
        if (!report.Failed || report.OriginalMessageId is null)
        {
            return false;
        }
        var email = await db.OutboxEmails.SingleOrDefaultAsync(e => e.MessageId == report.OriginalMessageId, ct);
        if (email is null)
        {
            return false;
        }
        email.State = EmailState.Failed;
        email.LastError = Truncate($"Bounced: {report.Status}", 2000);
        EmailDispatcher.RecordFailed(db, email, $"bounced: {report.Status}", now);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
