using System.Globalization;
using System.Text.Json.Nodes;
using ContactDesk.Audit;
using ContactDesk.Conversation;
using ContactDesk.Tickets;

namespace ContactDesk.Web;

/// <summary>One entry of a ticket's trail as the ticket page says it: a sentence, who, when, what changed.</summary>
/// <param name="Initial">The changes are a new ticket's first values (shown as values, not as changes).</param>
public sealed record HistoryLine(DateTime At, string Summary, string Actor, IReadOnlyList<HistoryChange> Changes, string? MessageBody,
    bool Initial = false);

/// <summary>
/// One field's change: its label and the values before and after, in words (a status label, a
/// person's name), or a <see cref="DateTime"/> (shown as a local time); null is "nothing".
/// </summary>
public sealed record HistoryChange(string Field, object? From, object? To)
{
    /// <summary>Too long for one line (notes, a long subject): the page folds it.</summary>
    public bool Long => new[] { From, To }.OfType<string>().Any(v => v.Length > 80 || v.Contains('\n'));
}

/// <summary>
/// Turns the audit trail (<see cref="HistoryEntryOut"/>: action names, column names, ids, wire
/// values) into <see cref="HistoryLine"/>s. An action or field it does not know is still shown,
/// its name made readable ("first_reply_due_at" → "First reply due at").
/// </summary>
public static class ReadableHistory
{
    private static readonly Dictionary<string, string> FieldLabels = new()
    {
        ["ticket_number"] = "Ticket number",
        ["name"] = "Name",
        ["email"] = "Email",
        ["subject"] = "Subject",
        ["category"] = "Category",
        ["status"] = "Status",
        ["user_id"] = "Account",
        ["assigned_to_id"] = "Assigned to",
        ["resolved_by_id"] = "Resolved by",
        ["admin_notes"] = "Admin notes",
        ["resolution_notes"] = "Resolution notes",
        ["resolved_at"] = "Resolved at",
        ["created_at"] = "Created at",
        ["priority"] = "Priority",
        ["tags"] = "Tags",
        ["target"] = "Target",
        ["due_at"] = "Due at",
    };

    /// <param name="names">Names of the people whose ids appear in the trail.</param>
    /// <param name="thread">The ticket's thread, oldest first: a message_added entry shows its message.</param>
    public static IReadOnlyList<HistoryLine> Of(IEnumerable<HistoryEntryOut> entries, IReadOnlyDictionary<Guid, string> names,
        IReadOnlyList<MessageOut> thread)
    {
        // The n-th message_added entry is the n-th message after the submission: both are written in the same transaction.
        var added = new Queue<MessageOut>(thread.Skip(1));
        var lines = new List<HistoryLine>();
        foreach (var entry in entries)
        {
            var changes = entry.Changes.Where(c => !(entry.Action == "message_added" && c.Key == "kind"))
                .Select(c => new HistoryChange(LabelOf(c.Key), ValueOf(c.Key, c.Value?[0], names), ValueOf(c.Key, c.Value?[1], names)))
                .ToList();
            string? body = null;
            var summary = entry.Action switch
            {
                "created" => "Ticket created",
                "assigned" => $"Assigned to {Text(changes.FirstOrDefault(c => c.Field == "Assigned to")?.To)}",
                "unassigned" => "Unassigned",
                "resolved" => "Resolved",
                "reopened" => "Reopened",
                "archived" => "Archived",
                "restored" => "Restored",
                "deleted" => "Ticket deleted",
                "email_failed" => "An email could not be delivered",
                "erased" => "Personal data erased",
                "sla_warning" => $"SLA {Text(changes.FirstOrDefault(c => c.Field == "Target")?.To)} due soon",
                "sla_breached" => $"SLA {Text(changes.FirstOrDefault(c => c.Field == "Target")?.To)} overdue",
                "message_added" => MessageAdded(entry, added, out body),
                "status_changed" when changes.FirstOrDefault(c => c.Field == "Status") is { } status => Sentence(status),
                "updated" when changes.Count == 1 && !changes[0].Long => Sentence(changes[0]),
                "updated" => $"{Listed(changes.Select(c => c.Field))} changed",
                var other => Humanize(other),
            };
            // What the sentence says is not listed again under it.
            lines.Add(new(entry.At, summary, ActorOf(entry, names), [.. changes.Where(c => Sentence(c) != summary)], body,
                Initial: entry.Action == "created"));
        }
        return lines;
    }

    /// <summary>"Status changed from Pending to In progress", "Admin notes set to …", "Resolution notes cleared".</summary>
    public static string Sentence(HistoryChange change) => (change.From, change.To) switch
    {
        (null, _) => $"{change.Field} set to {Text(change.To)}",
        (_, null) => $"{change.Field} cleared (was {Text(change.From)})",
        _ => $"{change.Field} changed from {Text(change.From)} to {Text(change.To)}",
    };

    /// <summary>A value as text in a sentence; times in UTC (the page shows them as local times where it can).</summary>
    public static string Text(object? value) => value switch
    {
        null => "nothing",
        DateTime at => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC",
        _ => value.ToString() ?? "",
    };

    /// <summary>"Admin notes", "Category" → "Admin notes and category".</summary>
    private static string Listed(IEnumerable<string> labels)
    {
        var all = labels.Select((l, i) => i == 0 ? l : char.ToLowerInvariant(l[0]) + l[1..]).ToArray();
        return all.Length <= 1 ? string.Concat(all) : string.Join(", ", all[..^1]) + " and " + all[^1];
    }

    public static string LabelOf(string field) => FieldLabels.TryGetValue(field, out var label) ? label : Humanize(field);

    /// <summary>"first_reply_due_at" → "First reply due at"; a trailing "_id" is dropped.</summary>
    public static string Humanize(string name)
    {
        var words = (name.EndsWith("_id", StringComparison.Ordinal) ? name[..^3] : name).Replace('_', ' ').Trim();
        return words.Length == 0 ? name : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private static object? ValueOf(string field, JsonNode? node, IReadOnlyDictionary<Guid, string> names)
    {
        if (node is null)
        {
            return null;
        }
        var text = node.ToString();
        return field switch
        {
            "status" when WireNames.TryParse<TicketStatus>(text, out var status) => CategoryLabels.Of(status),
            "category" when WireNames.TryParse<TicketCategory>(text, out var category) => CategoryLabels.Of(category),
            "priority" when WireNames.TryParse<TicketPriority>(text, out var priority) => CategoryLabels.Of(priority),
            "tags" => text.Length == 0 ? "no tags" : string.Join(", ", text.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            "target" => text.Replace('_', ' '),
            _ when field.EndsWith("_id", StringComparison.Ordinal) && Guid.TryParse(text, out var id) =>
                names.TryGetValue(id, out var name) ? name : "a deleted account",
            _ when field.EndsWith("_at", StringComparison.Ordinal)
                && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) => at,
            _ => text,
        };
    }

    private static string ActorOf(HistoryEntryOut entry, IReadOnlyDictionary<Guid, string> names) => entry.Actor switch
    {
        { Name: { Length: > 0 } name } => name,
        { Id: var id } when names.TryGetValue(id, out var name) => name,
        not null => "a deleted account",
        null when entry.Action == "created" => "the visitor",
        null => "the system",
    };

    private static string MessageAdded(HistoryEntryOut entry, Queue<MessageOut> added, out string? body)
    {
        var kind = entry.Changes["kind"]?[1]?.ToString();
        var message = added.TryDequeue(out var next) && WireNames.Of(next.Kind) == kind ? next : null;
        body = message?.Body is { Length: > 0 } text ? text : null;
        return WireNames.TryParse<MessageKind>(kind, out var k) ? $"{ConversationLabels.Of(k)} added" : "Message added";
    }
}
