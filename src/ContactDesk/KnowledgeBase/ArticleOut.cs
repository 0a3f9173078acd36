using System.Text.Json.Serialization;

namespace ContactDesk.KnowledgeBase;

/// <summary>The contract's article (section 11).</summary>
public sealed record ArticleOut(
    Guid Id,
    string Slug,
    string Title,
    string BodyMarkdown,
    string BodyHtml,
    string Category,
    ArticleStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    ArticleAuthor? Author)
{
    [JsonIgnore]
    public int Version { get; init; }

    [JsonIgnore]
    public string ETag => $"\"{Version}\"";

    public static ArticleOut From(Article a) => new(a.Id, a.Slug, a.Title, a.BodyMarkdown, a.BodyHtml, a.Category, a.Status,
        a.CreatedAt, a.UpdatedAt, a.AuthorName is null ? null : new ArticleAuthor(a.AuthorId, a.AuthorName)) { Version = a.Version };
}

public sealed record ArticleAuthor(Guid? Id, string Name);

/// <summary>A list item: the contract's article, with an excerpt of its text for the list.</summary>
public sealed record ArticleSummary(Guid Id, string Slug, string Title, string BodyMarkdown, string BodyHtml, string Category,
    ArticleStatus Status, DateTime CreatedAt, DateTime UpdatedAt, ArticleAuthor? Author, string Excerpt)
{
    public static ArticleSummary From(Article a) => new(a.Id, a.Slug, a.Title, a.BodyMarkdown, a.BodyHtml, a.Category, a.Status,
        a.CreatedAt, a.UpdatedAt, a.AuthorName is null ? null : new ArticleAuthor(a.AuthorId, a.AuthorName), ArticleRenderer.Excerpt(a.BodyText));
}

public sealed record ArticlePage(IReadOnlyList<ArticleSummary> Items, int Total, int Page, int PageSize, int TotalPages);

/// <summary>One suggestion for a draft contact message.</summary>
public sealed record Suggestion(string Slug, string Title, string Excerpt);

/// <summary>One entry of an article's history.</summary>
public sealed record ArticleRevisionOut(int Version, string Title, string Slug, string Category, ArticleStatus Status,
    string? EditorName, DateTime EditedAt);
