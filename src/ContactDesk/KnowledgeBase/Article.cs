namespace ContactDesk.KnowledgeBase;

public enum ArticleStatus
{
    Draft,
    Internal,
    Published,
}

/// <summary>A knowledge-base article: Markdown as written, and the sanitized HTML made from it when saved.</summary>
public sealed class Article
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public required string BodyMarkdown { get; set; }
    public required string BodyHtml { get; set; }

    /// <summary>Plain text of the body (no Markdown syntax): what search indexes and excerpts are cut from.</summary>
    public required string BodyText { get; set; }

    public required string Category { get; set; }
    public ArticleStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid? AuthorId { get; set; }
    public string? AuthorName { get; set; }

    /// <summary>Bumped on every change; the ETag and the optimistic-concurrency token.</summary>
    public int Version { get; set; }

    public string ETag => $"\"{Version}\"";
}

/// <summary>A slug an article had before its title (or slug) changed: its old links redirect to the current one.</summary>
public sealed class ArticleOldSlug
{
    public required string Slug { get; set; }
    public Guid ArticleId { get; set; }
}

/// <summary>One saved state of an article: its history.</summary>
public sealed class ArticleRevision
{
    public long Id { get; set; }
    public Guid ArticleId { get; set; }
    public int Version { get; set; }
    public required string Title { get; set; }
    public required string Slug { get; set; }
    public required string BodyMarkdown { get; set; }
    public required string Category { get; set; }
    public ArticleStatus Status { get; set; }
    public Guid? EditorId { get; set; }
    public string? EditorName { get; set; }
    public DateTime EditedAt { get; set; }
}

/// <summary>
/// A visit of the contact form in which a suggested article was opened (a random id the page keeps
/// for the browser tab). <see cref="SubmittedAt"/> is set when that visit then submits the form:
/// the visits without it were answered before a ticket.
/// </summary>
public sealed class SuggestionVisit
{
    public required string VisitId { get; set; }
    public DateTime OpenedAt { get; set; }
    public DateTime? SubmittedAt { get; set; }
}
