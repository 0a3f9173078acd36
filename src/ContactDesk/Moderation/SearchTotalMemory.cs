using System.Collections.Concurrent;

namespace ContactDesk.Moderation;

/// <summary>
/// Remembers for a minute that a search matched more tickets than it counts (see
/// <see cref="TicketCounts.SearchCountedUpTo"/>). Counting even that far builds the word's whole
/// index bitmap (20–30 ms of PostgreSQL CPU for a common word at a million tickets), and the same
/// search comes back at once: the next page, the live queue refreshing. Only such lower bounds are
/// kept, and they rarely go stale, since a word's matches seldom shrink by hundreds within a minute;
/// an exact total is always counted afresh. Each instance keeps its own.
/// </summary>
public sealed class SearchTotalMemory(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (int MoreThan, DateTimeOffset Until)> entries = new();

    /// <summary>Whether <paramref name="filter"/> was found, less than a minute ago, to match more than <paramref name="count"/> tickets.</summary>
    public bool KnowsMoreThan(TicketFilter filter, int count) =>
        entries.TryGetValue(filter.MatchKey, out var known) && known.MoreThan >= count && known.Until > clock.GetUtcNow();

    public void RememberMoreThan(TicketFilter filter, int count)
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear(); // a rare burst of distinct searches: start over rather than track ages
        }
        entries[filter.MatchKey] = (count, clock.GetUtcNow() + Lifetime);
    }
}
