using System.Diagnostics.Metrics;
using ContactDesk.Conversation;
using ContactDesk.Inbound;
using ContactDesk.Notifications;
using ContactDesk.Tickets;

namespace ContactDesk.Operations;

/// <summary>
/// The app's own instruments, on the meter <c>ContactDesk</c> (other features add theirs to the same
/// meter name, so the exporter takes them all). Recording costs next to nothing when nobody listens:
/// the instruments exist whether or not <c>Metrics:Enabled</c> turns the exporter on.
/// </summary>
public sealed class ContactDeskMetrics
{
    public const string MeterName = "ContactDesk";

    private readonly Counter<long> ticketsCreated;
    private readonly Counter<long> emailsSent;
    private readonly Counter<long> emailsFailed;
    private readonly Counter<long> inboundMessages;

    public ContactDeskMetrics(IMeterFactory meters, PendingEmailCount pending)
    {
        var meter = meters.Create(MeterName);
        ticketsCreated = meter.CreateCounter<long>("contactdesk.tickets.created", "{ticket}", "Tickets created, by source (form, api, email).");
        emailsSent = meter.CreateCounter<long>("contactdesk.emails.sent", "{email}", "Emails handed to the SMTP server or written to the pickup folder, by kind.");
        emailsFailed = meter.CreateCounter<long>("contactdesk.emails.failed", "{email}", "Emails given up on (a permanent refusal, or out of attempts), by kind.");
        inboundMessages = meter.CreateCounter<long>("contactdesk.inbound.messages", "{message}", "Inbound emails ingested, by outcome (processed, ignored, failed).");
        meter.CreateObservableGauge("contactdesk.emails.pending", pending.Observe, "{email}", "Emails in the outbox waiting to be sent (refreshed at most every 15 s).");
    }

    public void TicketCreated(MessageSource source) =>
        ticketsCreated.Add(1, new KeyValuePair<string, object?>("source", WireNames.Of(source)));

    public void EmailSent(EmailKind kind) => emailsSent.Add(1, new KeyValuePair<string, object?>("kind", WireNames.Of(kind)));

    public void EmailFailed(EmailKind kind) => emailsFailed.Add(1, new KeyValuePair<string, object?>("kind", WireNames.Of(kind)));

    public void InboundMessage(InboundState outcome) =>
        inboundMessages.Add(1, new KeyValuePair<string, object?>("outcome", WireNames.Of(outcome)));
}
