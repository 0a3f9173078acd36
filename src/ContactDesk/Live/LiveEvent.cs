using System.Text.Json;
using ContactDesk.Audit;

namespace ContactDesk.Live;

/// <summary>
/// What the live pages are told. A ticket event is one audit entry: its id is the SSE event id,
/// the same on every instance and after a restart, so a reconnect resumes from the trail itself.
/// A presence event (no id) only says that someone opened, left or started typing on a ticket.
/// </summary>
public sealed record LiveEvent(
    long? Id,
    Guid TicketId,
    string? TicketNumber = null,
    string? Action = null,
    Guid? ActorId = null,
    string? Actor = null,
    DateTime? At = null,
    IReadOnlyList<string>? Fields = null,
    string? MessageKind = null)
{
    public const string TicketType = "ticket", PresenceType = "presence", ReadyType = "ready", PingType = "ping", ResetType = "reset";

    public static LiveEvent Of(AuditEntry entry)
    {
        var fields = new List<string>();
        string? kind = null;
        using (var changes = JsonDocument.Parse(entry.Changes))
        {
            foreach (var field in changes.RootElement.EnumerateObject())
            {
                fields.Add(field.Name);
                if (entry.Action == "message_added" && field.Name == "kind" && field.Value.GetArrayLength() == 2)
                {
                    kind = field.Value[1].GetString();
                }
            }
        }
        return new(entry.Id, entry.TicketId, entry.TicketNumber, entry.Action, entry.ActorId, entry.ActorName,
            DateTime.SpecifyKind(entry.At, DateTimeKind.Utc), fields, kind);
    }

    public static LiveEvent Presence(Guid ticketId) => new(null, ticketId);
}
