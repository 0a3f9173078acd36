using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tags;

/// <summary>A tag and the number of tickets carrying it.</summary>
public sealed record TagOut(string Name, int Count);

public sealed record RenameTagRequest(string? To);

public static class TagEndpoints
{
    public const int SuggestMax = 20;

    public static RouteGroupBuilder MapTagEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tags").WithTags("Tags").RequireAuthorization(Roles.ModeratorPolicy);
        group.MapGet("/", List).WithName("ListTags")
            .WithSummary("Tags in use starting with a prefix, most used first (autocomplete)");
        group.MapPost("/{name}/rename", Rename).WithName("RenameTag").RequireAuthorization(Roles.AdminPolicy)
            .WithSummary("Rename a tag on every ticket, merging into the new name when it exists; one transaction, with history")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<List<TagOut>>, ValidationProblem>> List(
        [FromQuery] string? prefix, AppDbContext db, CancellationToken ct)
    {
        var text = prefix?.Trim().ToLowerInvariant() ?? "";
        if (text.Length > TagNames.MaxLength)
        {
            return ProblemResponses.Validation("prefix", $"At most {TagNames.MaxLength} characters.");
        }
        return TypedResults.Ok(await SuggestAsync(db, text, ct));
    }

    /// <summary>Up to <see cref="SuggestMax"/> tags in use that start with <paramref name="prefix"/>: the API and the ticket page's list.</summary>
    public static Task<List<TagOut>> SuggestAsync(AppDbContext db, string prefix, CancellationToken ct)
    {
        var tags = db.Tags.AsNoTracking().Where(t => t.TicketCount > 0);
        if (prefix.Length > 0)
        {
            tags = tags.Where(t => t.Name.StartsWith(prefix));
        }
        return tags.OrderByDescending(t => t.TicketCount).ThenBy(t => t.Name).Take(SuggestMax)
            .Select(t => new TagOut(t.Name, t.TicketCount)).ToListAsync(ct);
    }

    private static async Task<Results<Ok<TagOut>, ValidationProblem, ProblemHttpResult>> Rename(
        string name, RenameTagRequest request, AppDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var to = TagNames.Normalize("to", request.To, errors);
        var from = name.Trim().ToLowerInvariant();
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        return await TagRename.RunAsync(db, from, to!, ct) switch
        {
            TagRename.Renamed renamed => TypedResults.Ok(renamed.Tag),
            TagRename.Conflict => ProblemResponses.Problem(409, "A ticket with this tag changed during the rename; nothing was renamed, try again."),
            _ => ProblemResponses.Problem(404, "No tag has this name."),
        };
    }
}
