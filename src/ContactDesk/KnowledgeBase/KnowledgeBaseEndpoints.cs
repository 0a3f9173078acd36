using System.Security.Claims;
using ContactDesk.Hosting;
using ContactDesk.Hosting.OpenApi;
using ContactDesk.Identity;
using ContactDesk.Moderation;
using ContactDesk.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ContactDesk.KnowledgeBase;

public static class KnowledgeBaseEndpoints
{
    public const int SuggestMax = 5;
    public const int QueryMax = 500;

    public static RouteGroupBuilder MapKnowledgeBaseEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/kb").WithTags("Knowledge base");
        group.MapGet("/articles", List).AllowAnonymous().WithName("ListArticles")
            .WithSummary("Published articles (moderators: internal ones too); with search, ranked by relevance");
        // {id} as PATCH and DELETE name it (one path in the OpenAPI document), though an id or a slug.
        group.MapGet("/articles/{id}", Get).AllowAnonymous().WithName("GetArticle")
            .WithSummary("One article by id or slug, with its ETag")
            .WithDescription("A slug the article had before it was renamed answers 301 with the current address in Location.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The article's version, for If-Match.")
            .Produces(StatusCodes.Status301MovedPermanently)
            .WithResponseHeader(StatusCodes.Status301MovedPermanently, "Location", "The article's current address.");
        group.MapPost("/articles", Create).RequireAuthorization(Roles.ModeratorPolicy).WithName("CreateArticle")
            .WithSummary("Write an article; the slug is made from the title unless given")
            .WithResponseHeader(StatusCodes.Status201Created, "ETag", "The article's version, for If-Match.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPatch("/articles/{id:guid}", Update).RequireAuthorization(Roles.ModeratorPolicy).WithName("UpdateArticle")
            .WithSummary("Change an article; honours If-Match")
            .WithRequestHeader("If-Match", "The ETag of the article as last read: the change is refused with 412 when it has changed since.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The article's new version, for If-Match.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/articles/{id:guid}", Delete).RequireAuthorization(Roles.ModeratorPolicy).WithName("DeleteArticle")
            .WithSummary("Delete an article and its history");
        group.MapGet("/articles/{id:guid}/history", History).RequireAuthorization(Roles.ModeratorPolicy).WithName("ArticleHistory")
            .WithSummary("Every saved version of an article, newest first");
        group.MapGet("/suggest", Suggest).AllowAnonymous().RequireRateLimiting(SuggestRateLimit.Policy)
            .RequireCors(KnowledgeBaseSetup.CorsPolicy).WithName("SuggestArticles")
            .WithSummary("Up to 5 published articles for a draft contact subject and message; any of its words may match");
        group.MapPost("/suggest/opened", Opened).AllowAnonymous().RequireRateLimiting(SuggestRateLimit.Policy)
            .RequireCors(KnowledgeBaseSetup.CorsPolicy).WithName("SuggestionOpened")
            .WithSummary("Records that a contact-form visit opened a suggested article (for \"answered before a ticket\")");
        app.MapGet("/sitemap.xml", Sitemap.Get).AllowAnonymous().ExcludeFromDescription();
        // The ticket page's article search (kb-link.js), for a signed-in browser: internal articles too.
        app.MapGet("/admin/kb-links", Links).RequireAuthorization(Roles.ModeratorPagesPolicy).ExcludeFromDescription();
        return group;
    }

    private static bool IsStaff(ClaimsPrincipal user) => user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin);

    private static async Task<Results<Ok<ArticlePage>, ValidationProblem>> List(
        [FromQuery] string? search, [FromQuery] string? page, ClaimsPrincipal user, ArticleStore store, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var number = 1;
        if (page is not null && (!int.TryParse(page, out number) || number < 1 || number > 100_000))
        {
            errors.Add("page", "A whole number from 1 to 100000.");
        }
        if (search is not null)
        {
            errors.OptionalText("search", search, QueryMax);
        }
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        ArticleStatus[] statuses = IsStaff(user) ? [ArticleStatus.Published, ArticleStatus.Internal] : [ArticleStatus.Published];
        return TypedResults.Ok(await store.ListAsync(search, number, statuses, ct));
    }

    private static async Task<Results<Ok<ArticleOut>, RedirectHttpResult, ProblemHttpResult>> Get(
        [FromRoute(Name = "id")] string idOrSlug, ClaimsPrincipal user, ArticleStore store, HttpResponse response, CancellationToken ct)
    {
        var staff = IsStaff(user);
        switch (await store.FindAsync(idOrSlug, includeInternal: staff, includeDrafts: staff, ct))
        {
            case ArticleStore.Found found:
                response.Headers.ETag = found.Article.ETag;
                return TypedResults.Ok(ArticleOut.From(found.Article));
            case ArticleStore.Moved moved:
                return TypedResults.Redirect($"/api/v1/kb/articles/{moved.Slug}", permanent: true);
            default:
                return NotFound();
        }
    }

    private static async Task<Results<Created<ArticleOut>, ValidationProblem, ProblemHttpResult>> Create(
        ArticleRequest body, ClaimsPrincipal user, ArticleStore store, HttpResponse response, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (ArticleValidator.Validate(body, creating: true, errors) is not { } change)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        switch (await store.CreateAsync(change, user.FindId(), user.FindName(), ct))
        {
            case ArticleStore.Saved saved:
                response.Headers.ETag = saved.Article.ETag;
                return TypedResults.Created($"/api/v1/kb/articles/{saved.Article.Id}", ArticleOut.From(saved.Article));
            default:
                return SlugTaken();
        }
    }

    private static async Task<Results<Ok<ArticleOut>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, ArticleRequest body, ClaimsPrincipal user, ArticleStore store, HttpRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (ArticleValidator.Validate(body, creating: false, errors) is not { } change)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        switch (await store.UpdateAsync(id, change, IfMatch.From(request), user.FindId(), user.FindName(), ct))
        {
            case ArticleStore.Saved saved:
                request.HttpContext.Response.Headers.ETag = saved.Article.ETag;
                return TypedResults.Ok(ArticleOut.From(saved.Article));
            case ArticleStore.Stale:
                return ProblemResponses.Problem(412, "The article has changed since you read it; fetch it again for its current ETag.");
            case ArticleStore.SlugTaken:
                return SlugTaken();
            default:
                return NotFound();
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, ArticleStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NotFound();

    private static async Task<Results<Ok<List<ArticleRevisionOut>>, ProblemHttpResult>> History(Guid id, ArticleStore store, CancellationToken ct)
    {
        var history = await store.HistoryAsync(id, ct);
        return history.Count > 0 ? TypedResults.Ok(history) : NotFound();
    }

    private static async Task<Results<Ok<List<Suggestion>>, ValidationProblem>> Suggest(
        [FromQuery] string? q, ArticleStore store, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var text = errors.OptionalText("q", q, QueryMax) ?? "";
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        return TypedResults.Ok(await store.SuggestAsync(text, SuggestMax, includeInternal: false, ct));
    }

    private static async Task<Results<NoContent, ValidationProblem>> Opened(OpenedRequest body, SuggestionVisits visits, CancellationToken ct)
    {
        if (!SuggestionVisits.IsVisitId(body.VisitId))
        {
            return ProblemResponses.Validation("visit_id", "16 to 64 letters and digits.");
        }
        await visits.OpenedAsync(body.VisitId!, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<ArticleLink>>, ValidationProblem>> Links(
        [FromQuery] string? q, ArticleStore store, IOptions<ContactDeskOptions> options, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var text = errors.OptionalText("q", q, QueryMax) ?? "";
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        var site = options.Value.PublicBaseUrl.TrimEnd('/');
        var found = await store.LinksAsync(text, 8, ct);
        return TypedResults.Ok(found.Select(a => new ArticleLink(a.Title, $"{site}/kb/{a.Slug}", a.Status)).ToList());
    }

    private static ProblemHttpResult NotFound() => ProblemResponses.Problem(404, "No article has this id or slug.");

    private static ProblemHttpResult SlugTaken() => ProblemResponses.Problem(409, "Another article has this slug; choose another.");
}

public sealed record OpenedRequest(string? VisitId);

public sealed record ArticleLink(string Title, string Url, ArticleStatus Status);
