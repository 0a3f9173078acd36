using ContactDesk.Hosting;
using ContactDesk.Tickets;

namespace ContactDesk.Sla;

/// <summary>The queue's <c>sla=</c> filter: only the two states worth a look.</summary>
public static class SlaFilter
{
    public static SlaState? Parse(string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (WireNames.TryParse<SlaState>(text, out var state) && state is SlaState.Warning or SlaState.Breached)
        {
            return state;
        }
        errors.Add("sla", "Must be one of: warning, breached.");
        return null;
    }
}
