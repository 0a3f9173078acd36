using ContactDesk.Data;
using ContactDesk.Moderation;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.KnowledgeBase;

/// <summary>Writes and reads articles: the API and the pages both go through it.</summary>
public sealed class ArticleStore(AppDbContext db, IArticleSearch articleSearch, SuggestionIndex suggestionIndex, TimeProvider clock)
{
    public const int PageSize = 20;
    public const int SearchLimit = 500;

    public abstract record Result;
    public sealed record Saved(Article Article) : Result;
    public sealed record NotFound : Result;
    public sealed record Stale : Result;
    public sealed record SlugTaken : Result;

    /// <summary>What a slug or id leads to: the article, or the current slug of an article that had it once.</summary>
    public abstract record Lookup;
    public sealed record Found(Article Article) : Lookup;
    public sealed record Moved(string Slug) : Lookup;
    public sealed record Missing : Lookup;

    public async Task<Result> CreateAsync(ArticleChange change, Guid? authorId, string? authorName, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var body = change.BodyMarkdown!;
        var article = new Article
        {
            Id = Guid.CreateVersion7(),
            Title = change.Title!,
            Slug = change.Slug ?? await FreeSlugAsync(Slugs.Make(change.Title!), null, ct),
            BodyMarkdown = body,
            BodyHtml = ArticleRenderer.ToHtml(body),
            BodyText = ArticleRenderer.ToText(body),
            Category = change.Category ?? "",
            Status = change.Status ?? ArticleStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            AuthorId = authorId,
            AuthorName = authorName,
            Version = 1,
        };
        if (await SlugInUseAsync(article.Slug, null, ct))
        {
            return new SlugTaken();
        }
        db.Articles.Add(article);
        db.ArticleRevisions.Add(Revision(article, authorId, authorName, now));
        return await SaveAsync(article, ct);
    }

    public async Task<Result> UpdateAsync(Guid id, ArticleChange change, IfMatch? ifMatch, Guid? editorId, string? editorName, CancellationToken ct)
    {
        var article = await db.Articles.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (article is null)
        {
            return new NotFound();
        }
        if (ifMatch is not null && !ifMatch.Matches(article.Version))
        {
            return new Stale();
        }
        var oldSlug = article.Slug;
        if (change.Title is { } title && title != article.Title)
        {
            article.Title = title;
            // A new title makes a new slug unless one is given; the old one keeps redirecting.
            if (change.Slug is null)
            {
                var made = Slugs.Make(title);
                article.Slug = made == oldSlug ? oldSlug : await FreeSlugAsync(made, article.Id, ct);
            }
        }
        if (change.Slug is { } slug && slug != oldSlug)
        {
            if (await SlugInUseAsync(slug, article.Id, ct))
            {
                return new SlugTaken();
            }
            article.Slug = slug;
        }
        if (change.BodyMarkdown is { } body)
        {
            article.BodyMarkdown = body;
            article.BodyHtml = ArticleRenderer.ToHtml(body);
            article.BodyText = ArticleRenderer.ToText(body);
        }
        article.Category = change.Category ?? article.Category;
        article.Status = change.Status ?? article.Status;
        var now = clock.GetUtcNow().UtcDateTime;
        article.UpdatedAt = now;
        article.Version++;
        if (article.Slug != oldSlug)
        {
            // The new slug may be one this article had before: it is current again, not an old one.
            await db.ArticleOldSlugs.Where(s => s.Slug == article.Slug).ExecuteDeleteAsync(ct);
            db.ArticleOldSlugs.Add(new ArticleOldSlug { Slug = oldSlug, ArticleId = article.Id });
        }
        db.ArticleRevisions.Add(Revision(article, editorId, editorName, now));
        return await SaveAsync(article, ct);
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        var deleted = await db.Articles.Where(a => a.Id == id).ExecuteDeleteAsync(ct) > 0;
        suggestionIndex.Changed();
        return deleted;
    }

    /// <summary>By id or by slug (current or old); <paramref name="includeInternal"/> lets staff see internal articles.</summary>
    public async Task<Lookup> FindAsync(string idOrSlug, bool includeInternal, bool includeDrafts, CancellationToken ct)
    {
        bool Visible(Article a) => a.Status == ArticleStatus.Published
            || (includeInternal && a.Status == ArticleStatus.Internal) || (includeDrafts && a.Status == ArticleStatus.Draft);
        var article = Guid.TryParse(idOrSlug, out var id)
            ? await db.Articles.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct)
            : await db.Articles.AsNoTracking().SingleOrDefaultAsync(a => a.Slug == idOrSlug, ct);
        if (article is not null)
        {
            return Visible(article) ? new Found(article) : new Missing();
        }
        var moved = await db.ArticleOldSlugs.AsNoTracking().Where(s => s.Slug == idOrSlug)
            .Join(db.Articles, s => s.ArticleId, a => a.Id, (s, a) => a).SingleOrDefaultAsync(ct);
        return moved is not null && Visible(moved) ? new Moved(moved.Slug) : new Missing();
    }

    /// <summary>Articles for a list: with <paramref name="search"/> ranked by relevance, else by category and title.</summary>
    public async Task<ArticlePage> ListAsync(string? search, int page, IReadOnlyCollection<ArticleStatus> statuses, CancellationToken ct)
    {
        var visible = db.Articles.AsNoTracking().Where(a => statuses.Contains(a.Status));
        if (string.IsNullOrWhiteSpace(search))
        {
            var total = await visible.CountAsync(ct);
            var items = await visible.OrderBy(a => a.Category).ThenBy(a => a.Title).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
            return Page(items.Select(ArticleSummary.From).ToList(), total, page);
        }
        var ranked = await articleSearch.RankAsync(SearchWords.From(search), anyWord: false,
            includeInternal: statuses.Contains(ArticleStatus.Internal), SearchLimit, ct);
        var pageIds = ranked.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var found = await db.Articles.AsNoTracking().Where(a => pageIds.Contains(a.Id) && statuses.Contains(a.Status)).ToListAsync(ct);
        return Page(found.OrderBy(a => pageIds.IndexOf(a.Id)).Select(ArticleSummary.From).ToList(), ranked.Count, page);
    }

    /// <summary>Up to <paramref name="max"/> published articles for a draft subject and message: any of its words may match.</summary>
    public async Task<List<Suggestion>> SuggestAsync(string text, int max, bool includeInternal, CancellationToken ct)
    {
        if (db is PostgresAppDbContext && !includeInternal)
        {
            return await suggestionIndex.SuggestAsync(db, SearchWords.From(text), max, ct);
        }
        var ids = await articleSearch.RankAsync(SearchWords.From(text), anyWord: true, includeInternal, max, ct);
        if (ids.Count == 0)
        {
            return [];
        }
        var found = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Slug, a.Title, a.BodyText }).ToListAsync(ct);
        return found.OrderBy(a => ids.IndexOf(a.Id)).Select(a => new Suggestion(a.Slug, a.Title, ArticleRenderer.Excerpt(a.BodyText, 160))).ToList();
    }

    /// <summary>Published and internal articles for a moderator's reply: any word may match, best first.</summary>
    public async Task<List<Article>> LinksAsync(string text, int max, CancellationToken ct)
    {
        var ids = await articleSearch.RankAsync(SearchWords.From(text), anyWord: true, includeInternal: true, max, ct);
        var found = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        return found.OrderBy(a => ids.IndexOf(a.Id)).ToList();
    }

    public Task<List<ArticleRevisionOut>> HistoryAsync(Guid id, CancellationToken ct) =>
        db.ArticleRevisions.AsNoTracking().Where(r => r.ArticleId == id).OrderByDescending(r => r.Version)
            .Select(r => new ArticleRevisionOut(r.Version, r.Title, r.Slug, r.Category, r.Status, r.EditorName, r.EditedAt)).ToListAsync(ct);

    /// <summary>The published articles' slugs and dates, for the sitemap and the /kb index.</summary>
    public Task<List<Article>> PublishedAsync(CancellationToken ct) =>
        db.Articles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published).OrderBy(a => a.Category).ThenBy(a => a.Title).ToListAsync(ct);

    private static ArticlePage Page(List<ArticleSummary> items, int total, int page) =>
        new(items, total, page, PageSize, (total + PageSize - 1) / PageSize);

    private async Task<Result> SaveAsync(Article article, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            suggestionIndex.Changed();
            return new Saved(article);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Stale();
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return new SlugTaken(); // another writer took the slug between the check and the save
        }
    }

    private Task<bool> SlugInUseAsync(string slug, Guid? except, CancellationToken ct) =>
        db.Articles.AnyAsync(a => a.Slug == slug && a.Id != except, ct);

    /// <summary>The slug, or the slug with "-2", "-3", … when another article has it (an article may take back its own old slugs).</summary>
    private async Task<string> FreeSlugAsync(string slug, Guid? owner, CancellationToken ct)
    {
        slug = slug.Length == 0 ? "article" : slug;
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? slug : $"{slug[..Math.Min(slug.Length, ArticleValidator.MaxSlug - 4)]}-{n}";
            var taken = await SlugInUseAsync(candidate, owner, ct)
                || await db.ArticleOldSlugs.AnyAsync(s => s.Slug == candidate && s.ArticleId != owner, ct);
            if (!taken)
            {
                return candidate;
            }
        }
    }

    private static ArticleRevision Revision(Article a, Guid? editorId, string? editorName, DateTime now) => new()
    {
        ArticleId = a.Id, Version = a.Version, Title = a.Title, Slug = a.Slug, BodyMarkdown = a.BodyMarkdown,
        Category = a.Category, Status = a.Status, EditorId = editorId, EditorName = editorName, EditedAt = now,
    };
}
