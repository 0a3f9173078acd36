using System.Text;
using MimeKit.Text;

namespace ContactDesk.Inbound;

/// <summary>
/// An HTML-only email as plain text: the words and line breaks, nothing else (no markup survives,
/// so it can never run as HTML on the ticket page). Block elements start lines; a blockquote's lines
/// get "> " as a mail program quotes them, so <see cref="QuotedHistory"/> treats both alike.
/// </summary>
public static class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "pre", "hr", "section", "article",
    };

    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "head", "title" };

    public static string ToText(string html)
    {
        var output = new StringBuilder();
        var line = new StringBuilder();
        var quoteDepth = 0;
        var hiddenDepth = 0;
        var tokenizer = new HtmlTokenizer(new StringReader(html));

        void EndLine(bool force = false)
        {
            var text = Collapse(line.ToString());
            if (text.Length > 0 || force)
            {
                output.Append((string.Concat(Enumerable.Repeat("> ", quoteDepth)) + text).TrimEnd()).Append('\n');
            }
            line.Clear();
        }

        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when Hidden.Contains(tag.Name):
                    hiddenDepth = tag.IsEndTag ? Math.Max(0, hiddenDepth - 1) : tag.IsEmptyElement ? hiddenDepth : hiddenDepth + 1;
                    break;
                case HtmlTagToken tag when Blocks.Contains(tag.Name):
                    EndLine(force: tag.Name.Equals("br", StringComparison.OrdinalIgnoreCase));
                    if (tag.Name.Equals("blockquote", StringComparison.OrdinalIgnoreCase))
                    {
                        quoteDepth = tag.IsEndTag ? Math.Max(0, quoteDepth - 1) : quoteDepth + 1;
                    }
                    break;
                case HtmlDataToken data when hiddenDepth == 0 && token.Kind == HtmlTokenKind.Data:
                    line.Append(data.Data);
                    break;
            }
        }
        EndLine();
        return output.ToString().Trim('\n');
    }

    /// <summary>Whitespace in HTML text is one space, as a browser shows it (&amp;nbsp; too).</summary>
    private static string Collapse(string text) =>
        string.Join(' ', text.Replace('\u00a0', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
