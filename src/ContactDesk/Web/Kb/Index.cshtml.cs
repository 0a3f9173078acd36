using ContactDesk.Hosting;
using ContactDesk.KnowledgeBase;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ContactDesk.Web.Kb;

/// <summary>The public knowledge base: published articles by category, and a search form (no script needed).</summary>
[AllowAnonymous]
public sealed class IndexModel(ArticleStore store, IOptions<ContactDeskOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public List<IGrouping<string, ArticleSummary>> Categories { get; private set; } = [];

    public ArticlePage? Results { get; private set; }

    public string Canonical => options.Value.PublicBaseUrl.TrimEnd('/') + "/kb";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var query = Query?.Trim();
        if (query is { Length: > KnowledgeBaseEndpoints.QueryMax } || query?.Contains('\0') == true)
        {
            query = query[..Math.Min(query.Length, KnowledgeBaseEndpoints.QueryMax)].Replace("\0", "");
        }
        if (!string.IsNullOrEmpty(query))
        {
            Results = await store.ListAsync(query, 1, [ArticleStatus.Published], ct);
            return Page();
        }
        var all = await store.PublishedAsync(ct);
        Categories = all.Select(ArticleSummary.From)
            .GroupBy(a => a.Category.Length == 0 ? "General" : a.Category).ToList();
        return Page();
    }
}
