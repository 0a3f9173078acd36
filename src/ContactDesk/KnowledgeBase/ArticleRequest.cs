using System.Globalization;
using System.Text;
using ContactDesk.Hosting;
using ContactDesk.Tickets;

namespace ContactDesk.KnowledgeBase;

/// <summary>
/// The body of <c>POST /api/v1/kb/articles</c> and <c>PATCH /api/v1/kb/articles/{id}</c>, and the
/// admin page's form: a field left null is not changed by PATCH (and takes its default on create).
/// </summary>
public sealed record ArticleRequest(string? Title, string? BodyMarkdown, string? Category, string? Status, string? Slug);

/// <summary>The checked values of an <see cref="ArticleRequest"/>; null where the request left a field out.</summary>
public sealed record ArticleChange(string? Title, string? BodyMarkdown, string? Category, ArticleStatus? Status, string? Slug);

/// <summary>The one validator for articles, used by the API and by the admin page.</summary>
public static class ArticleValidator
{
    public const int MaxTitle = 200;
    public const int MaxBody = 50_000;
    public const int MaxCategory = 60;
    public const int MaxSlug = 80;

    public static ArticleChange? Validate(ArticleRequest request, bool creating, FieldErrors errors)
    {
        string? title = null, body = null, category = null, slug = null;
        ArticleStatus? status = null;
        if (creating || request.Title is not null)
        {
            title = errors.Text("title", request.Title, MaxTitle);
        }
        if (creating || request.BodyMarkdown is not null)
        {
            body = errors.Text("body_markdown", request.BodyMarkdown, MaxBody);
        }
        if (request.Category is not null)
        {
            category = errors.OptionalText("category", request.Category, MaxCategory) ?? "";
        }
        if (request.Status is not null)
        {
            if (WireNames.TryParse<ArticleStatus>(request.Status, out var parsed) && !int.TryParse(request.Status, out _))
            {
                status = parsed;
            }
            else
            {
                errors.Add("status", $"One of: {WireNames.AllOf<ArticleStatus>()}.");
            }
        }
        if (request.Slug is not null)
        {
            slug = request.Slug.Trim();
            if (slug.Length == 0 || slug.Length > MaxSlug || Slugs.Make(slug) != slug)
            {
                errors.Add("slug", $"1 to {MaxSlug} lowercase letters, digits and single hyphens, e.g. 'reset-your-password'.");
            }
        }
        if (errors.Any)
        {
            return null;
        }
        return new ArticleChange(title, body, category, status, slug);
    }
}

public static class Slugs
{
    /// <summary>"Where's my Refund?" → "wheres-my-refund": ASCII letters and digits, single hyphens; accents dropped.</summary>
    public static string Make(string text)
    {
        var builder = new StringBuilder();
        var hyphen = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’')
            {
                continue;
            }
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (hyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }
                builder.Append(char.ToLowerInvariant(c));
                hyphen = false;
            }
            else
            {
                hyphen = true;
            }
            if (builder.Length >= ArticleValidator.MaxSlug)
            {
                break;
            }
        }
        var slug = builder.ToString().Trim('-');
        return slug;
    }
}
