using ContactDesk.Hosting;
using ContactDesk.KnowledgeBase;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ContactDesk.Web.Kb;

/// <summary>One published article. A slug it had before a rename answers 301 to the current one.</summary>
[AllowAnonymous]
public sealed class ArticleModel(ArticleStore store, IOptions<ContactDeskOptions> options) : PageModel
{
    public Article Article { get; private set; } = null!;

    public string Canonical => $"{options.Value.PublicBaseUrl.TrimEnd('/')}/kb/{Article.Slug}";

    public string Description => ArticleRenderer.Excerpt(Article.BodyText, 155);

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        // The public page shows published articles only, whoever is signed in: it is what visitors see.
        switch (await store.FindAsync(slug, includeInternal: false, includeDrafts: false, ct))
        {
            case ArticleStore.Found found when found.Article.Slug == slug:
                Article = found.Article;
                return Page();
            case ArticleStore.Found found: // by id: the address to link to is the slug
                return RedirectPermanent($"/kb/{found.Article.Slug}");
            case ArticleStore.Moved moved:
                return RedirectPermanent($"/kb/{moved.Slug}");
            default:
                return NotFound();
        }
    }
}
