using AngleSharp.Html.Parser;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>
/// A corpus of XSS payloads written into article Markdown: none survives in <c>body_html</c> or on
/// the public page. Checked by parsing the HTML as a browser would, not by looking for strings.
/// </summary>
public abstract class KnowledgeBaseSanitizingTests(ContactDeskApp app)
{
    public static readonly string[] Payloads =
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"javascript:alert(1)\">",
        "<body onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">mixed case</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">entity tab</a>",
        "<a href=\"&#106;avascript:alert(1)\">entity j</a>",
        "[md link](javascript:alert(1))",
        "[md link with spaces](  javascript:alert(1)  )",
        "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![md image](javascript:alert(1))",
        "![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "<svg onload=alert(1)><circle r=1 /></svg>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"https://evil.example/x.swf\"></object>",
        "<embed src=\"https://evil.example/x.swf\">",
        "<video><source onerror=alert(1)></video>",
        "<form action=\"https://evil.example\"><input name=p><button>go</button></form>",
        "<div style=\"background:url(javascript:alert(1))\">styled</div>",
        "<style>body{display:none}</style>",
        "<link rel=stylesheet href=https://evil.example/x.css>",
        "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
        "<base href=\"https://evil.example/\">",
        "<details open ontoggle=alert(1)>",
        "<p onclick=\"alert(1)\" onmouseover='alert(2)'>handlers</p>",
        "<a href=\"vbscript:msgbox(1)\">vb</a>",
        "<a href=\"https://ok.example\" onfocus=alert(1) autofocus>fine link, bad handler</a>",
        "`<script>in code</script>` and\n\n    <script>indented code</script>",
        "<<script>script>alert(1)<</script>/script>",
        "<scr<script>ipt>alert(1)</script>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<template><script>alert(1)</script></template>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
    ];

    private static readonly string[] Forbidden = ["script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base", "form",
        "input", "button", "video", "audio", "source", "template", "noscript", "frame", "frameset"];

    [Fact]
    public async Task No_payload_survives_in_body_html_or_on_the_page()
    {
        var moderator = await app.ClientForAsync("moderator");
        var failures = new List<string>();
        for (var i = 0; i < Payloads.Length; i++)
        {
            var article = await moderator.CreateArticleAsync($"Payload {i} {Guid.NewGuid():N}", "Before.\n\n" + Payloads[i] + "\n\nAfter.");
            var html = (string)article["body_html"]!;
            var page = await app.CreateClient().GetStringAsync($"/kb/{article["slug"]}");
            foreach (var (where, text) in new[] { ("body_html", html), ("page", page) })
            {
                if (Unsafe(text, fragment: where == "body_html") is { } why)
                {
                    failures.Add($"#{i} {Payloads[i]} → {where}: {why}");
                }
            }
            Assert.Contains("Before.", html); // the article around the payload is kept (an unclosed tag may swallow what follows it)
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Why <paramref name="html"/> is unsafe, or null. On the page only the article body is judged (the layout's own link and form are fine).</summary>
    private static string? Unsafe(string html, bool fragment)
    {
        var document = new HtmlParser().ParseDocument(html);
        var root = fragment ? document.Body! : document.QuerySelector(".kb-body");
        if (root is null)
        {
            return "no article body on the page";
        }
        foreach (var element in root.QuerySelectorAll("*"))
        {
            if (Forbidden.Contains(element.LocalName))
            {
                return $"<{element.LocalName}> element";
            }
            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || attribute.Name is "style" or "srcdoc" or "formaction")
                {
                    return $"{attribute.Name}= attribute";
                }
                if (attribute.Name is "href" or "src" or "action" or "xlink:href")
                {
                    var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                    var colon = value.IndexOf(':');
                    var scheme = colon > 0 && value.IndexOfAny(['/', '?', '#']) is var s && (s < 0 || s > colon) ? value[..colon].ToLowerInvariant() : null;
                    if (scheme is not (null or "http" or "https" or "mailto"))
                    {
                        return $"{attribute.Name}=\"{attribute.Value}\"";
                    }
                }
            }
        }
        return null;
    }
}

public sealed class KnowledgeBaseSanitizingTestsOnSqlite(SqliteApp app) : KnowledgeBaseSanitizingTests(app), IClassFixture<SqliteApp>;

public sealed class KnowledgeBaseSanitizingTestsOnPostgres(PostgresApp app) : KnowledgeBaseSanitizingTests(app), IClassFixture<PostgresApp>;
