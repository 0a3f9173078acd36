using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Moderation;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Web.Admin;

/// <summary>The queue: the API's filters (same parser), a page of tickets, bulk actions.</summary>
public sealed class IndexModel(AppDbContext db, TicketEditor editor, SearchTotalMemory searchTotals, TimeProvider clock) : PageModel
{
    public TicketQuery Query { get; private set; } = new();
    public TicketFilter? Filter { get; private set; }
    public FormErrors Errors { get; private set; } = FormErrors.None;
    public IReadOnlyList<TicketOut> Items { get; private set; } = [];
    public int Total { get; private set; }
    public int TotalPages { get; private set; }
    public bool TotalIsExact { get; private set; } = true;

    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(TicketQuery query, CancellationToken ct)
    {
        Query = query;
        var errors = new FieldErrors();
        Filter = TicketFilter.Parse(query, User.GetId(), errors);
        if (Filter is null)
        {
            Errors = new(errors.ToDictionary());
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var page = await ModerationEndpoints.ReadPageAsync(db, Filter, searchTotals, ct);
        (Items, Total, TotalPages, TotalIsExact) = (page.Items, page.Total, page.TotalPages, page.TotalIsExact);
        return Page();
    }

    public async Task<IActionResult> OnPostBulkAsync(List<Guid> ids, string? action, string? priority, string? returnQuery, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var newPriority = BulkAction.Validate(action, priority, errors);
        // The page's select offers the actions without a tag (tags are set on the ticket page).
        if (ids.Count == 0 || errors.Any || BulkAction.Tagging.Contains(action))
        {
            Notice = errors.Any && ids.Count > 0 ? string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)) : "Tick at least one ticket and choose an action.";
        }
        else
        {
            var (updated, skipped) = await BulkAction.RunAsync(editor, ids.Take(ModerationEndpoints.BulkMax), action!, newPriority, User.GetId(),
                clock.GetUtcNow().UtcDateTime, ct);
            Notice = $"{updated} updated, {skipped} skipped.";
        }
        return Redirect("/admin" + (returnQuery is { Length: > 0 } q && q.StartsWith('?') ? q : ""));
    }

    /// <summary>The current query string with some parameters replaced (null removes one).</summary>
    public string With(params (string Key, string? Value)[] changes)
    {
        var values = Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }
        return QueryString.Create(values.Where(v => !string.IsNullOrEmpty(v.Value))).ToString();
    }

    /// <summary>The link of a sortable column: ascending first, then descending.</summary>
    public string SortLink(string column) =>
        "/admin" + With(("ordering", Filter?.Ordering == "-" + column ? column : "-" + column), ("page", null));

    /// <summary>The arrow shown on the sorted column; screen readers get <see cref="AriaSort"/> instead.</summary>
    public string SortMark(string column) =>
        Filter?.Ordering == column ? " ▲" : Filter?.Ordering == "-" + column ? " ▼" : "";

    /// <summary><c>aria-sort</c> of a sortable column's header; null (no attribute) unless the queue is sorted by it.</summary>
    public string? AriaSort(string column) =>
        Filter?.Ordering == column ? "ascending" : Filter?.Ordering == "-" + column ? "descending" : null;
}
