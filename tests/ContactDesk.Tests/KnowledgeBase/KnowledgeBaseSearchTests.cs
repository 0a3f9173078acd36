using ContactDesk.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>
/// Search and suggestion quality on a fixed corpus (SearchQualityCorpus), on each database: every
/// query's article is in the top 3 of both the search (all words) and the suggestions (any word).
/// The class has a database of its own holding only that corpus.
/// </summary>
public abstract class KnowledgeBaseSearchTests(ContactDeskApp app, ITestOutputHelper output)
{
    private async Task<List<string>> SeedAsync()
    {
        var moderator = await app.ClientForAsync("moderator");
        var existing = await app.CreateClient().SearchAsync("refund");
        var slugs = new List<string>();
        foreach (var (title, body) in SearchQualityCorpus.Articles)
        {
            // The fixture is shared by the class's tests: the corpus is written once.
            var slug = ContactDesk.KnowledgeBase.Slugs.Make(title);
            if (existing.Count == 0)
            {
                await moderator.CreateArticleAsync(title, body);
            }
            slugs.Add(slug);
        }
        return slugs;
    }

    [Fact]
    public async Task Every_query_finds_its_article_in_the_top_three_by_search_and_by_suggestion()
    {
        var slugs = await SeedAsync();
        var anonymous = app.CreateClient();
        var misses = new List<string>();
        output.WriteLine($"| query | expected | search rank | suggest rank |  ({app.Provider})");
        foreach (var (query, expected) in SearchQualityCorpus.Queries)
        {
            var searchRank = (await anonymous.SearchAsync(query)).IndexOf(slugs[expected]) + 1;
            var suggestRank = (await anonymous.SuggestAsync(query)).IndexOf(slugs[expected]) + 1;
            output.WriteLine($"| {query} | {slugs[expected]} | {Rank(searchRank)} | {Rank(suggestRank)} |");
            if (searchRank is < 1 or > 3 || suggestRank is < 1 or > 3)
            {
                misses.Add($"'{query}' → {slugs[expected]}: search {Rank(searchRank)}, suggest {Rank(suggestRank)}");
            }
        }
        Assert.True(misses.Count == 0, string.Join("\n", misses));
    }

    [Theory]
    [InlineData("refunds", "request-a-refund")]      // plural of a word in the title
    [InlineData("refunding", "request-a-refund")]    // another form of it
    [InlineData("passw", "reset-your-password")]     // a prefix
    [InlineData("vulnerabilities", "report-a-security-vulnerability")]
    [InlineData("invoicing", "download-invoices")]
    public async Task Stems_and_prefixes_match(string query, string slug)
    {
        await SeedAsync();
        Assert.Equal(slug, (await app.CreateClient().SearchAsync(query)).FirstOrDefault());
        Assert.Equal(slug, (await app.CreateClient().SuggestAsync(query)).FirstOrDefault());
    }

    [Fact]
    public async Task Search_needs_every_word_and_suggestions_any_word_ranking_the_title_first()
    {
        var slugs = await SeedAsync();
        var anonymous = app.CreateClient();
        Assert.Equal(["gift-cards"], await anonymous.SearchAsync("gift balance"));
        Assert.Empty(await anonymous.SearchAsync("gift xylophone"));
        Assert.Equal("gift-cards", (await anonymous.SuggestAsync("xylophone gift")).First());
        // "refund" is in the title of one article and the body of another: the title wins.
        Assert.Equal(["request-a-refund", "return-a-damaged-item"], await anonymous.SearchAsync("refund"));
        Assert.True((await anonymous.SuggestAsync("I want my money back, how does a refund work?")).Count <= 5);
        // Query syntax of either engine is only ever words: operators and quotes are text.
        foreach (var hostile in new[] { "\"", "refund\" OR \"", "title:refund", "refund*)", "!(refund", "refund & | ! :*", "NEAR(a b)", "'; DROP TABLE kb_articles; --" })
        {
            await anonymous.SearchAsync(hostile);
            await anonymous.SuggestAsync(hostile);
        }
        Assert.Empty(await anonymous.SuggestAsync(""));
        Assert.Equal(slugs.Count, SearchQualityCorpus.Queries.Select(q => q.Expected).Distinct().Count());
    }

    private static string Rank(int rank) => rank == 0 ? "–" : rank.ToString();
}

public sealed class KnowledgeBaseSearchTestsOnSqlite(SqliteApp app, ITestOutputHelper output) : KnowledgeBaseSearchTests(app, output), IClassFixture<SqliteApp>;

public sealed class KnowledgeBaseSearchTestsOnPostgres(PostgresApp app, ITestOutputHelper output) : KnowledgeBaseSearchTests(app, output), IClassFixture<PostgresApp>;
