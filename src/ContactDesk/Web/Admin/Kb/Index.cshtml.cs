using ContactDesk.KnowledgeBase;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin.Kb;

/// <summary>Every article, drafts included, for moderators to pick one to edit.</summary>
public sealed class IndexModel(ArticleStore store) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public ArticlePage Articles { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        Articles = await store.ListAsync(null, PageNumber, [ArticleStatus.Draft, ArticleStatus.Internal, ArticleStatus.Published], ct);
    }
}
