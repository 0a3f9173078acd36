using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.KnowledgeBase;
using ContactDesk.Moderation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin.Kb;

/// <summary>
/// Write (<c>/admin/kb/new</c>) or edit (<c>/admin/kb/{id}</c>) an article: preview the sanitized
/// HTML, save with a status (draft, internal, published), see the history. The form carries the
/// version it was rendered at, so a save over someone else's change is refused as with If-Match.
/// </summary>
public sealed class EditModel(ArticleStore store) : PageModel
{
    [BindProperty]
    public ArticleForm Form { get; set; } = new();

    public Guid? ArticleId { get; private set; }

    public string? Slug { get; private set; }

    public string? Preview { get; private set; }

    public List<ArticleRevisionOut> History { get; private set; } = [];

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (id == "new")
        {
            return Page();
        }
        if (!Guid.TryParse(id, out var guid) || await store.FindAsync(id, true, true, ct) is not ArticleStore.Found found)
        {
            return NotFound();
        }
        Form = ArticleForm.From(found.Article);
        await LoadAsync(found.Article, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? action, CancellationToken ct)
    {
        Guid? guid = Guid.TryParse(id, out var parsed) ? parsed : null;
        if (guid is null && id != "new")
        {
            return NotFound();
        }
        var errors = new FieldErrors();
        var change = ArticleValidator.Validate(
            new ArticleRequest(Form.Title, Form.BodyMarkdown, Form.Category ?? "", Form.Status, string.IsNullOrWhiteSpace(Form.Slug) ? null : Form.Slug),
            creating: guid is null, errors);
        if (action == "preview" || change is null)
        {
            Errors = new(errors.ToDictionary());
            Preview = ArticleRenderer.ToHtml(Form.BodyMarkdown ?? "");
            if (guid is { } existing && await store.FindAsync(existing.ToString(), true, true, ct) is ArticleStore.Found found)
            {
                await LoadAsync(found.Article, ct);
            }
            if (change is null)
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
            return Page();
        }
        var result = guid is null
            ? await store.CreateAsync(change, User.FindId(), User.FindName(), ct)
            : await store.UpdateAsync(guid.Value, change, IfMatch.ForVersion(Form.Version), User.FindId(), User.FindName(), ct);
        switch (result)
        {
            case ArticleStore.Saved saved:
                return Redirect($"/admin/kb/{saved.Article.Id}");
            case ArticleStore.NotFound:
                return NotFound();
            default:
                Errors = new(new Dictionary<string, string[]>
                {
                    [result is ArticleStore.Stale ? "form" : "slug"] = [result is ArticleStore.Stale
                        ? "Someone else changed this article since you opened it. Copy your text, reload the page and apply it again."
                        : "Another article has this slug; choose another."],
                });
                Response.StatusCode = result is ArticleStore.Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
                return Page();
        }
    }

    private async Task LoadAsync(Article article, CancellationToken ct)
    {
        ArticleId = article.Id;
        Slug = article.Slug;
        History = await store.HistoryAsync(article.Id, ct);
    }
}

public sealed class ArticleForm
{
    public string? Title { get; set; }
    public string? Slug { get; set; }
    public string? Category { get; set; }
    public string? Status { get; set; } = "draft";
    public string? BodyMarkdown { get; set; }
    public int Version { get; set; }

    public static ArticleForm From(Article a) => new()
    {
        Title = a.Title, Slug = a.Slug, Category = a.Category, Status = Tickets.WireNames.Of(a.Status), BodyMarkdown = a.BodyMarkdown, Version = a.Version,
    };
}
