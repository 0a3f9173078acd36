using ContactDesk.Hosting;
using ContactDesk.Tickets;

namespace ContactDesk.Moderation;

/// <summary>One action over many tickets, for the API's <c>/bulk</c> and the queue page's checkboxes.</summary>
public static class BulkAction
{
    public const string AssignToMe = "assign_to_me", Resolve = "resolve", Archive = "archive", SetPriority = "set_priority";

    public static readonly string[] Names = [AssignToMe, Resolve, Archive, SetPriority];

    /// <summary>Checks the action's name and the value it needs (the priority of <c>set_priority</c>).</summary>
    public static TicketPriority? Validate(string? name, string? priority, FieldErrors errors)
    {
        if (!Names.Contains(name))
        {
            errors.Add("action", $"Must be one of: {string.Join(", ", Names)}.");
            return null;
        }
        if (name != SetPriority)
        {
            return null;
        }
        if (WireNames.TryParse<TicketPriority>(priority, out var value))
        {
            return value;
        }
        errors.Add("priority", $"set_priority needs a priority, one of: {WireNames.AllOf<TicketPriority>()}.");
        return null;
    }

    /// <summary>Returns how many tickets changed and how many were skipped (unknown, or not in a state for the action).</summary>
    public static async Task<(int Updated, int Skipped)> RunAsync(
        TicketEditor editor, IEnumerable<Guid> ids, string name, TicketPriority? priority, Guid me, DateTime now, CancellationToken ct)
    {
        Func<Ticket, TicketActions.Outcome> action = name switch
        {
            AssignToMe => t => TicketActions.AssignToMe(t, me),
            Resolve => t => TicketActions.Resolve(t, me, null, now),
            Archive => TicketActions.Archive,
            SetPriority => t => TicketActions.SetPriority(t, priority!.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a bulk action."),
        };
        int updated = 0, skipped = 0;
        // One ticket at a time: a ticket someone else just changed is skipped, not the whole batch.
        foreach (var id in ids.Distinct())
        {
            if (await editor.EditAsync(id, action, null, ct) is TicketEditor.Done { Changed: true })
            {
                updated++;
            }
            else
            {
                skipped++;
            }
        }
        return (updated, skipped);
    }
}
