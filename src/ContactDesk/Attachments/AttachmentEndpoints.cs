using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ContactDesk.Attachments;

public static class AttachmentEndpoints
{
    /// <summary>Types a browser may be given as themselves; anything else is served as a plain download.</summary>
    private static readonly HashSet<string> ShownAsType =
        ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", ContentSniffer.PlainText];

    public static RouteGroupBuilder MapAttachmentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/attachments").WithTags("Attachments").RequireAuthorization(Roles.ModeratorPolicy);
        group.MapGet("/{id:guid}", Download).WithName("DownloadAttachment")
            .WithSummary("A message's file, always as a download (Content-Disposition: attachment)")
            .ProducesFile();
        return group;
    }

    /// <summary>
    /// Declares the 200 of a download with every media type <see cref="ServeAsync"/> can answer, so that
    /// a client knows them all (text as text/plain: the charset is a parameter, not another type).
    /// </summary>
    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder) =>
        builder.Produces(StatusCodes.Status200OK, typeof(Stream), ContentSniffer.OctetStream,
            [.. ShownAsType.Select(t => t.Split(';')[0]).Order(StringComparer.Ordinal)]);

    /// <summary>Also mapped for the admin pages under their cookie sign-in (Web/WebSetup.cs).</summary>
    public static Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        Guid id, AppDbContext db, AttachmentStore store, HttpResponse response, CancellationToken ct) =>
        ServeAsync(db.MessageAttachments.Where(a => a.Id == id), db, store, response, ct);

    /// <summary>Serves the one file <paramref name="found"/> selects (the caller narrows it to what its user may see); else 404.</summary>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ServeAsync(
        IQueryable<Conversation.MessageAttachment> found, AppDbContext db, AttachmentStore store, HttpResponse response, CancellationToken ct)
    {
        var file = await found.AsNoTracking().Select(a => new { a.FileName, a.ContentType, a.Sha256 }).SingleOrDefaultAsync(ct);
        if (file is null || await store.OpenAsync(db, file.Sha256, ct) is not { } content)
        {
            return ProblemResponses.Problem(404, "No attachment has this id.");
        }
        Protect(response, file.FileName);
        return TypedResults.Stream(content, ShownAsType.Contains(file.ContentType) ? file.ContentType : ContentSniffer.OctetStream);
    }

    /// <summary>
    /// A file from a stranger must never run as a page of this site: always a download, never sniffed
    /// into another type, and sandboxed should a browser show it anyway.
    /// </summary>
    public static void Protect(HttpResponse response, string fileName)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName); // filename (ASCII fallback) and filename* (UTF-8)
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox";
    }
}
