using System.Xml.Linq;
using ContactDesk.Hosting;
using Microsoft.Extensions.Options;

namespace ContactDesk.KnowledgeBase;

/// <summary><c>/sitemap.xml</c> for search engines: the help centre and its published articles.</summary>
public static class Sitemap
{
    private static readonly XNamespace Ns = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public static async Task<IResult> Get(ArticleStore store, IOptions<ContactDeskOptions> options, CancellationToken ct)
    {
        var site = options.Value.PublicBaseUrl.TrimEnd('/');
        var articles = await store.PublishedAsync(ct);
        var xml = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Ns + "urlset",
            new XElement(Ns + "url", new XElement(Ns + "loc", $"{site}/kb")),
            articles.Select(a => new XElement(Ns + "url",
                new XElement(Ns + "loc", $"{site}/kb/{a.Slug}"),
                new XElement(Ns + "lastmod", a.UpdatedAt.ToString("yyyy-MM-dd"))))));
        return Results.Text(xml.Declaration + "\n" + xml.Root, "application/xml; charset=utf-8");
    }
}
