using Ganss.Xss;
using Markdig;

namespace ContactDesk.KnowledgeBase;

/// <summary>
/// Markdown to HTML when an article is saved, then sanitized: the stored <c>body_html</c> is safe to
/// put into any page as it is, whatever the Markdown held (raw HTML, script, event handlers,
/// <c>javascript:</c> or <c>data:</c> URLs, SVG, frames).
/// </summary>
public static class ArticleRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseListExtras()
        .Build();

    // Only what an article needs; everything else (forms, frames, media, SVG, style) is dropped. The
    // sanitizer instance is thread-safe for Sanitize once configured.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>The body's words without Markdown syntax or HTML: for the search index and excerpts.</summary>
    public static string ToText(string markdown)
    {
        var text = Markdown.ToPlainText(markdown, Pipeline);
        // Raw HTML in the Markdown passes through ToPlainText as written; its tags are not words.
        text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]*>", " ");
        return System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
    }

    public static string Excerpt(string text, int max = 200)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', max);
        return text[..(cut > max / 2 ? cut : max)].TrimEnd(',', '.', ';', ':') + "…";
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark",
                "sub", "sup", "small", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
                "a", "img", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "span", "div",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "href", "title", "src", "alt", "width", "height", "colspan", "rowspan", "align", "start", "id",
            },
            // Relative links and these schemes only: no javascript:, data:, vbscript: or others.
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
            AllowedCssProperties = new HashSet<string>(),
        };
        return new HtmlSanitizer(options);
    }
}
