using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>Articles through the API: writing, If-Match, slugs that redirect, history, and who sees what.</summary>
public abstract class KnowledgeBaseApiTests(ContactDeskApp app)
{
    [Fact]
    public async Task A_moderator_writes_an_article_whose_html_is_rendered_from_markdown()
    {
        var moderator = await app.CreateUserAsync("moderator", "Mia Moderator");
        var w = UniqueWord();
        var article = await moderator.Client.CreateArticleAsync($"Where's my {w} refund?", "Refunds take **five** days.\n\n- one\n- two", status: "draft");

        Assert.Equal($"wheres-my-{w}-refund", (string)article["slug"]!);
        Assert.Equal("<p>Refunds take <strong>five</strong> days.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n", (string)article["body_html"]!);
        Assert.Equal("draft", (string)article["status"]!);
        Assert.Equal("Mia Moderator", (string)article["author"]!["name"]!);
        Assert.EndsWith("Z", (string)article["created_at"]!);

        var response = await moderator.Client.GetAsync($"{KbApi.Articles}/{article["id"]}");
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);

        // The list's items are the same articles, with an excerpt for the list (drafts are not listed).
        var published = await moderator.Client.CreateArticleAsync($"Published {w} refunds", "Refunds take **five** days.", status: "published");
        var listed = (await moderator.Client.GetObjectAsync($"{KbApi.Articles}?search={w}"))["items"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["id", "slug", "title", "body_markdown", "body_html", "category", "status", "created_at", "updated_at", "author", "excerpt"],
            listed.Select(p => p.Key));
        Assert.Equal((string)published["body_html"]!, (string)listed["body_html"]!);
        Assert.Equal("Mia Moderator", (string)listed["author"]!["name"]!);
    }

    [Fact]
    public async Task Patch_honours_If_Match_and_keeps_the_history()
    {
        var moderator = await app.ClientForAsync("moderator");
        var article = await moderator.CreateArticleAsync($"Patch {UniqueWord()}", "First text.");
        var id = (string)article["id"]!;

        var changed = await moderator.PatchArticleAsync(id, new { body_markdown = "Second text." }, ifMatch: "\"1\"");
        await changed.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("\"2\"", changed.Headers.ETag!.Tag);
        Assert.Equal("<p>Second text.</p>\n", (string)(await changed.ReadObjectAsync())["body_html"]!);

        var stale = await moderator.PatchArticleAsync(id, new { body_markdown = "Lost update." }, ifMatch: "\"1\"");
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        var history = await (await moderator.GetAsync($"{KbApi.Articles}/{id}/history")).ReadArrayAsync();
        Assert.Equal([2, 1], history.Select(h => (int)h!["version"]!));
        Assert.Equal("<p>Second text.</p>\n", (string)(await moderator.GetObjectAsync($"{KbApi.Articles}/{id}"))["body_html"]!);
    }

    [Fact]
    public async Task A_new_title_makes_a_new_slug_and_the_old_one_redirects()
    {
        var moderator = await app.ClientForAsync("moderator");
        var w = UniqueWord();
        var article = await moderator.CreateArticleAsync($"Old {w} title", "Text.");
        var id = (string)article["id"]!;
        var renamed = await (await moderator.PatchArticleAsync(id, new { title = $"New {w} title" })).ReadObjectAsync();
        Assert.Equal($"new-{w}-title", (string)renamed["slug"]!);

        var anonymous = app.NoRedirects();
        var api = await anonymous.GetAsync($"{KbApi.Articles}/old-{w}-title");
        Assert.Equal(HttpStatusCode.MovedPermanently, api.StatusCode);
        Assert.Equal($"/api/v1/kb/articles/new-{w}-title", api.Headers.Location!.OriginalString);
        var page = await anonymous.GetAsync($"/kb/old-{w}-title");
        Assert.Equal(HttpStatusCode.MovedPermanently, page.StatusCode);
        Assert.Equal($"/kb/new-{w}-title", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/kb/new-{w}-title")).StatusCode);

        // Taking an explicit slug another article has is a conflict, not a silent rename.
        var other = await moderator.CreateArticleAsync($"Other {w}", "Text.");
        var taken = await moderator.PatchArticleAsync((string)other["id"]!, new { slug = $"new-{w}-title" });
        await taken.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Invalid_articles_are_refused_with_field_errors()
    {
        var moderator = await app.ClientForAsync("moderator");
        var response = await moderator.PostAsJsonAsync(KbApi.Articles, new { title = " ", body_markdown = "x", status = "secret", slug = "Not A Slug" });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["slug", "status", "title"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(HttpStatusCode.BadRequest, (await app.CreateClient().GetAsync($"/api/v1/kb/suggest?q={new string('a', 501)}")).StatusCode);
    }

    [Fact]
    public async Task Drafts_and_internal_articles_never_reach_anonymous_callers()
    {
        var moderator = await app.ClientForAsync("moderator");
        var w = UniqueWord();
        var draft = await moderator.CreateArticleAsync($"Draft {w} answer", $"{w} draft body", status: "draft");
        var inside = await moderator.CreateArticleAsync($"Internal {w} answer", $"{w} internal body", status: "internal");
        var published = await moderator.CreateArticleAsync($"Published {w} answer", $"{w} published body");
        var anonymous = app.CreateClient();
        var user = await app.ClientForAsync("user");

        foreach (var client in new[] { anonymous, user })
        {
            Assert.Equal([(string)published["slug"]!], await client.SearchAsync(w));
            Assert.Equal([(string)published["slug"]!], await client.SuggestAsync($"{w} answer"));
            foreach (var hidden in new[] { draft, inside })
            {
                await (await client.GetAsync($"{KbApi.Articles}/{hidden["id"]}")).AssertProblemAsync(HttpStatusCode.NotFound);
                await (await client.GetAsync($"{KbApi.Articles}/{hidden["slug"]}")).AssertProblemAsync(HttpStatusCode.NotFound);
            }
        }
        foreach (var hidden in new[] { draft, inside })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/kb/{hidden["slug"]}")).StatusCode);
        }
        var index = await anonymous.GetStringAsync($"/kb?q={w}");
        var sitemap = await anonymous.GetStringAsync("/sitemap.xml");
        foreach (var text in new[] { index, sitemap })
        {
            Assert.Contains((string)published["slug"]!, text);
            Assert.DoesNotContain((string)draft["slug"]!, text);
            Assert.DoesNotContain((string)inside["slug"]!, text);
        }
        // The anonymous suggestion endpoint never shows internal articles, even to staff.
        Assert.Equal([(string)published["slug"]!], await moderator.SuggestAsync($"{w} answer"));
        // Moderators see internal ones through the API.
        Assert.Equal([(string)inside["slug"]!, (string)published["slug"]!], (await moderator.SearchAsync(w)).Order());
    }

    [Fact]
    public async Task Deleting_an_article_removes_it_from_search()
    {
        var moderator = await app.ClientForAsync("moderator");
        var w = UniqueWord();
        var article = await moderator.CreateArticleAsync($"Doomed {w}", "Text.");
        Assert.Single(await moderator.SearchAsync(w));
        await (await moderator.DeleteAsync($"{KbApi.Articles}/{article["id"]}")).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Empty(await moderator.SearchAsync(w));
        await (await moderator.GetAsync($"{KbApi.Articles}/{article["id"]}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Opening_a_suggestion_and_not_submitting_counts_as_answered_before_a_ticket()
    {
        var anonymous = app.CreateClient();
        string visitA = Guid.NewGuid().ToString("N"), visitB = Guid.NewGuid().ToString("N");
        var before = await CountsAsync();
        foreach (var visit in new[] { visitA, visitA, visitB })
        {
            var opened = await anonymous.PostAsJsonAsync("/api/v1/kb/suggest/opened", new { visit_id = visit });
            await opened.AssertStatusAsync(HttpStatusCode.NoContent);
        }
        // Visit B then submits the form (the API takes the visit id as an optional field).
        var submitted = await anonymous.PostAsJsonAsync("/api/v1/contact/submit", new
        {
            name = "Sam", email = "sam@example.com", subject = "Still need help", message = "The article did not help.",
            category = "general", kb_visit_id = visitB,
        });
        await submitted.AssertStatusAsync(HttpStatusCode.Created);
        var after = await CountsAsync();
        Assert.Equal((before.Opened + 2, before.Answered + 1), after);

        var bad = await anonymous.PostAsJsonAsync("/api/v1/kb/suggest/opened", new { visit_id = "x'; drop" });
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private Task<(int Opened, int Answered)> CountsAsync() => app.QueryAsync(db =>
        new ContactDesk.KnowledgeBase.SuggestionVisits(db, TimeProvider.System).CountAsync(DateTime.MinValue, CancellationToken.None));
}

public sealed class KnowledgeBaseApiTestsOnSqlite(SqliteApp app) : KnowledgeBaseApiTests(app), IClassFixture<SqliteApp>;

public sealed class KnowledgeBaseApiTestsOnPostgres(PostgresApp app) : KnowledgeBaseApiTests(app), IClassFixture<PostgresApp>;
