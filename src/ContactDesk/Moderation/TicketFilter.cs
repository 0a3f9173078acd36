using System.ComponentModel;
using System.Globalization;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Hosting.OpenApi;
using ContactDesk.Tags;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Moderation;

/// <summary>The queue's query string, as sent: every parameter as text so that bad ones get a field error.</summary>
public sealed class TicketQuery
{
    [FromQuery(Name = "status"), Description("One status or a comma list (pending,in_progress); archived tickets only when named here.")]
    public string? Status { get; init; }

    [FromQuery(Name = "category"), Description("One category or a comma list.")]
    public string? Category { get; init; }

    [FromQuery(Name = "priority"), Description("One priority or a comma list (high,urgent).")]
    public string? Priority { get; init; }

    [FromQuery(Name = "assigned_to"), Description("A user id, 'me' or 'none'.")]
    public string? AssignedTo { get; init; }

    [FromQuery(Name = "search"), Description("Case-insensitive text in the ticket number, name, email, subject or message; at most 200 characters.")]
    public string? Search { get; init; }

    [FromQuery(Name = "created_after"), Description("A date (midnight UTC) or date-time, inclusive.")]
    public string? CreatedAfter { get; init; }

    [FromQuery(Name = "created_before"), Description("A date (midnight UTC) or date-time, exclusive.")]
    public string? CreatedBefore { get; init; }

    [FromQuery(Name = "ordering"), OpenApiEnum("created_at", "-created_at", "updated_at", "-updated_at", "-priority"), Description("Default -created_at (newest first); -priority is urgent first, then newest first.")]
    public string? Ordering { get; init; }

    [FromQuery(Name = "page"), OpenApiInteger(1, TicketFilter.PageMax), Description("From 1 (the default).")]
    public string? Page { get; init; }

    [FromQuery(Name = "page_size"), OpenApiInteger(1, TicketFilter.PageSizeMax), Description("1 to 100; default 20.")]
    public string? PageSize { get; init; }

    [FromQuery(Name = "waiting_on"), OpenApiEnum("staff", "submitter"), Description("Who the ticket waits on: staff (needs a reply) or submitter.")]
    public string? WaitingOn { get; init; }

    [FromQuery(Name = "tag"), Description("One tag or a comma list: tickets having all of them.")]
    public string? Tag { get; init; }

    [FromQuery(Name = "sla"), OpenApiEnum("warning", "breached"), Description("Open tickets whose SLA is in its warning margin, or past a deadline.")]
    public string? Sla { get; init; }
}

/// <summary>A parsed, valid <see cref="TicketQuery"/>; shared by the list, the CSV export and the admin pages.</summary>
public sealed record TicketFilter(
    IReadOnlyList<TicketStatus>? Statuses,
    IReadOnlyList<TicketCategory>? Categories,
    AssigneeFilter? Assignee,
    string? Search,
    DateTime? CreatedAfter,
    DateTime? CreatedBefore,
    string Ordering,
    int Page,
    int PageSize,
    WaitingOn? WaitingOn = null,
    IReadOnlyList<TicketPriority>? Priorities = null,
    IReadOnlyList<string>? Tags = null,
    ContactDesk.Sla.SlaState? Sla = null)
{
    public const int SearchMax = 200, PageSizeMax = 100, PageMax = 1_000_000;
    public static readonly string[] Orderings = ["created_at", "-created_at", "updated_at", "-updated_at", "-priority"];

    public static TicketFilter? Parse(TicketQuery query, Guid currentUser, FieldErrors errors)
    {
        var statuses = ParseList<TicketStatus>("status", query.Status, errors);
        var categories = ParseList<TicketCategory>("category", query.Category, errors);
        var priorities = ParseList<TicketPriority>("priority", query.Priority, errors);

        AssigneeFilter? assignee = query.AssignedTo?.Trim() switch
        {
            null or "" => null,
            "me" => new AssigneeFilter(currentUser),
            "none" => new AssigneeFilter(null),
            var text when Guid.TryParse(text, out var id) => new AssigneeFilter(id),
            _ => Invalid<AssigneeFilter>(errors, "assigned_to", "Must be a user id, 'me' or 'none'."),
        };

        var search = query.Search?.Trim();
        if (search?.Length > SearchMax)
        {
            errors.Add("search", $"At most {SearchMax} characters.");
        }
        else if (search is not null)
        {
            errors.NoNul("search", search);
        }

        var after = ParseTime("created_after", query.CreatedAfter, errors);
        var before = ParseTime("created_before", query.CreatedBefore, errors);
        var ordering = string.IsNullOrWhiteSpace(query.Ordering) ? "-created_at" : query.Ordering.Trim();
        if (!Orderings.Contains(ordering))
        {
            errors.Add("ordering", $"Must be one of: {string.Join(", ", Orderings)}.");
        }
        var page = ParseInt("page", query.Page, 1, 1, PageMax, errors);
        var pageSize = ParseInt("page_size", query.PageSize, 20, 1, PageSizeMax, errors);
        var waitingOn = errors.OptionalEnum<WaitingOn>("waiting_on", query.WaitingOn);
        var tags = string.IsNullOrWhiteSpace(query.Tag) ? null
            : TagNames.NormalizeAll("tag", query.Tag.Split(',', StringSplitOptions.RemoveEmptyEntries), errors)?.ToList();
        var sla = ContactDesk.Sla.SlaFilter.Parse(query.Sla, errors);
        return errors.Any ? null : new TicketFilter(statuses, categories, assignee, string.IsNullOrEmpty(search) ? null : search,
            after, before, ordering, page, pageSize, waitingOn, priorities, tags, sla);
    }

    /// <summary>The statuses the queue shows when none is asked for: all but archived.</summary>
    public static readonly IReadOnlyList<TicketStatus> Unarchived = [TicketStatus.Pending, TicketStatus.InProgress, TicketStatus.Resolved];

    /// <summary>Every filter and the ordering; archived tickets only when asked for by status.</summary>
    public async Task<IQueryable<Ticket>> ApplyAsync(AppDbContext db, CancellationToken ct) => Order(await WhereAsync(db, forCounting: false, ct));

    /// <summary>
    /// The filters alone. A search is the database's: <see cref="AppDbContext.SearchAsync"/> gets the
    /// text and the statuses together. <paramref name="forCounting"/>: only the number of tickets will
    /// be read, not the tickets in order.
    /// </summary>
    public async Task<IQueryable<Ticket>> WhereAsync(AppDbContext db, bool forCounting, CancellationToken ct)
    {
        var tickets = Search is null
            ? (Statuses is { Count: > 0 } ? InStatuses(db.Tickets, Statuses) : db.Tickets.Where(t => t.Status != TicketStatus.Archived))
            : await db.SearchAsync(Search.ToLowerInvariant(), Statuses is { Count: > 0 } ? Statuses : Unarchived, forCounting, ct);
        tickets = tickets.AsNoTracking();
        if (Categories is [var category])
        {
            tickets = tickets.Where(t => t.Category == category);
        }
        else if (Categories is { Count: > 0 })
        {
            tickets = tickets.Where(t => Categories.Contains(t.Category));
        }
        if (Priorities is [var priority])
        {
            tickets = tickets.Where(t => t.Priority == priority);
        }
        else if (Priorities is { Count: > 0 })
        {
            tickets = tickets.Where(t => Priorities.Contains(t.Priority));
        }
        if (Assignee is { } assignee)
        {
            tickets = assignee.UserId is { } id ? tickets.Where(t => t.AssignedToId == id) : tickets.Where(t => t.AssignedToId == null);
        }
        if (WaitingOn is { } waitingOn)
        {
            tickets = tickets.Where(t => t.WaitingOn == waitingOn);
        }
        if (Sla is { } sla)
        {
            tickets = tickets.Where(t => t.SlaState == sla);
        }
        if (CreatedAfter is { } from)
        {
            tickets = tickets.Where(t => t.CreatedAt >= from);
        }
        if (CreatedBefore is { } to)
        {
            tickets = tickets.Where(t => t.CreatedAt < to);
        }
        if (Tags is { Count: > 0 })
        {
            var onlyUnarchived = Statuses is not { Count: > 0 } || !Statuses.Contains(TicketStatus.Archived);
            tickets = await TagFilter.HavingAllAsync(db, tickets, Tags, onlyCounted: forCounting && onlyUnarchived, ct);
        }
        return tickets;
    }

    /// <summary>
    /// Tickets in one of the statuses. One status is compared with '=', not 'IN': PostgreSQL then walks
    /// the (status, created_at, id) index in the queue's order instead of collecting and sorting every match.
    /// </summary>
    public static IQueryable<Ticket> InStatuses(IQueryable<Ticket> tickets, IReadOnlyList<TicketStatus> statuses) =>
        statuses is [var status] ? tickets.Where(t => t.Status == status) : tickets.Where(t => statuses.Contains(t.Status));

    /// <summary>The LIKE pattern that finds <paramref name="text"/> anywhere, with <c>\</c> escaping % and _.</summary>
    public static string ContainsPattern(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>The ordering, with the id as the tie-breaker so that pages never overlap.</summary>
    public IQueryable<Ticket> Order(IQueryable<Ticket> tickets) => Ordering switch
    {
        "created_at" => tickets.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id),
        "updated_at" => tickets.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id),
        "-updated_at" => tickets.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id),
        "-priority" => tickets.OrderByDescending(t => t.Priority).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
        _ => tickets.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
    };

    /// <summary>
    /// True when the filter uses nothing but status, category and assignee, the dimensions of
    /// <c>ticket_tallies</c>: the total is then summed from the tallies. A new filter belongs here.
    /// </summary>
    public bool CountableFromTallies =>
        Search is null && WaitingOn is null && CreatedAfter is null && CreatedBefore is null && Priorities is not { Count: > 0 }
        && Tags is not { Count: > 0 } && Sla is null;

    /// <summary>
    /// True when the filter is one or two tags and nothing else (the default statuses, all but
    /// archived): on PostgreSQL the total is then read from <c>tag_pair_counts</c>
    /// (<see cref="ContactDesk.Tags.TagPairCounts"/>). A new filter belongs here too.
    /// </summary>
    public bool CountableFromTagPairs =>
        Tags is { Count: 1 or 2 } && Search is null && WaitingOn is null && CreatedAfter is null && CreatedBefore is null
        && Priorities is not { Count: > 0 } && Sla is null && Statuses is not { Count: > 0 } && Categories is not { Count: > 0 }
        && Assignee is null;

    /// <summary>
    /// Everything that decides which tickets match, as one string; not the page, its size or the
    /// order (<see cref="SearchTotalMemory"/> keys on it). A new filter belongs here too.
    /// </summary>
    public string MatchKey => string.Join('\u001F',
        Search, Joined(Statuses), Joined(Categories), Assignee is { } a ? a.UserId?.ToString() ?? "none" : "",
        CreatedAfter?.ToString("O", CultureInfo.InvariantCulture), CreatedBefore?.ToString("O", CultureInfo.InvariantCulture),
        WaitingOn?.ToString(), Joined(Priorities), Joined(Tags), Sla?.ToString());

    private static string Joined<T>(IReadOnlyList<T>? items) => items is null ? "" : string.Join(',', items.Order());

    /// <summary>
    /// Whether tickets of this status, category and assignee pass the status, category and assignee
    /// filters (the others are not looked at): the same rules as <see cref="WhereAsync"/>.
    /// </summary>
    public bool MatchesTally(TicketStatus status, TicketCategory category, Guid? assignedToId) =>
        (Statuses is { Count: > 0 } ? Statuses.Contains(status) : status != TicketStatus.Archived)
        && (Categories is not { Count: > 0 } || Categories.Contains(category))
        && (Assignee is not { } assignee || assignee.UserId == assignedToId);

    private static List<TEnum>? ParseList<TEnum>(string field, string? text, FieldErrors errors) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var values = new List<TEnum>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (WireNames.TryParse<TEnum>(part, out var value))
            {
                values.Add(value);
            }
            else
            {
                errors.Add(field, $"'{part}' is not one of: {WireNames.AllOf<TEnum>()}.");
                return null;
            }
        }
        return values;
    }

    /// <summary>An ISO-8601 date (midnight UTC) or date-time; without an offset it is taken as UTC.</summary>
    private static DateTime? ParseTime(string field, string? text, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }
        errors.Add(field, "Must be an ISO-8601 date or date-time, e.g. 2026-11-24 or 2026-11-24T08:00:00Z.");
        return null;
    }

    private static int ParseInt(string field, string? text, int fallback, int min, int max, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors.Add(field, $"Must be a whole number from {min} to {max}.");
        return fallback;
    }

    private static T? Invalid<T>(FieldErrors errors, string field, string message) where T : class
    {
        errors.Add(field, message);
        return null;
    }
}

/// <param name="UserId">The assignee, or null for unassigned tickets.</param>
public sealed record AssigneeFilter(Guid? UserId);
