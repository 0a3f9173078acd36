using ContactDesk.Attachments;
using ContactDesk.Conversation;
using ContactDesk.Hosting;
using ContactDesk.Portal;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactDesk.Web.Portal;

/// <summary>
/// The submitter's page of their ticket, opened by the link in every email (<c>/t/{token}</c>): the
/// public thread, a reply box with files, "This is solved" and "Reopen". Plain forms, no script
/// needed; each action redirects back here. Sending counts against the submit rate limit.
/// </summary>
[AllowAnonymous] // the link's token is the visitor's only credential
[AcceptsUploads]
[EnableRateLimiting(SubmitRateLimit.Policy)]
public sealed class TicketModel(PortalTickets portal, SubmitterMessagePoster poster, MultipartUpload uploads) : PageModel
{
    [FromRoute] public string Token { get; set; } = "";

    public PortalView? View { get; private set; }

    public FormErrors Errors { get; private set; } = FormErrors.None;

    /// <summary>What the visitor typed, shown again beside a field error.</summary>
    public string? Body { get; private set; }

    /// <summary>The outcome of the last action (<c>?done=</c>), said at the top of the page.</summary>
    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public bool ReadOnly => View?.Ticket.Status == TicketStatus.Archived;

    public string AttachmentUrl(Guid id) => $"/api/v1/portal/{Uri.EscapeDataString(Token)}/attachments/{id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            // A page that says so, for the person who followed an old link; the same 404 for every unknown token.
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostMessageAsync(string? body, string? website, List<IFormFile> files, CancellationToken ct)
    {
        if (await portal.FindAsync(Token, ct) is not { } ticketId)
        {
            return NotFound();
        }
        Body = body;
        switch (await uploads.StageAsync(files, ct))
        {
            case MultipartUpload.TooLarge tooLarge:
                return await RedisplayAsync("files", tooLarge.Reason, StatusCodes.Status413PayloadTooLarge, ct);
            case MultipartUpload.Read { Upload: var upload }:
                using (upload)
                {
                    var errors = new FieldErrors();
                    var text = MessageValidator.Body(body, upload.Files.Count, errors);
                    if (errors.Any)
                    {
                        Errors = new(errors.ToDictionary());
                        return await RedisplayAsync(null, null, StatusCodes.Status400BadRequest, ct);
                    }
                    if (PortalPost.IsBot(new PortalMessageRequest(body, website)))
                    {
                        return Back("sent"); // as the contact form does: the bot sees success, nothing is stored
                    }
                    return await poster.PostAsync(new SubmitterMessage(ticketId, text, MessageSource.Portal) { Files = upload.Files }, ct) switch
                    {
                        SubmitterMessagePoster.Posted => Back("sent"),
                        SubmitterMessagePoster.Archived => await RedisplayAsync("form", PortalPost.ArchivedReason, StatusCodes.Status409Conflict, ct),
                        _ => NotFound(),
                    };
                }
            default:
                return await RedisplayAsync("files", "The files could not be read.", StatusCodes.Status400BadRequest, ct);
        }
    }

    public Task<IActionResult> OnPostResolveAsync(CancellationToken ct) => ChangeAsync(portal.ResolveAsync, "resolved", ct);

    public Task<IActionResult> OnPostReopenAsync(CancellationToken ct) => ChangeAsync(portal.ReopenAsync, "reopened", ct);

    private async Task<IActionResult> ChangeAsync(Func<Guid, CancellationToken, Task<PortalTickets.Outcome>> change, string done, CancellationToken ct)
    {
        if (await portal.FindAsync(Token, ct) is not { } ticketId)
        {
            return NotFound();
        }
        return await change(ticketId, ct) switch
        {
            PortalTickets.Done => Back(done),
            PortalTickets.Refused refused => await RedisplayAsync("form", refused.Reason, StatusCodes.Status409Conflict, ct),
            _ => NotFound(),
        };
    }

    private RedirectToPageResult Back(string done) => RedirectToPage(new { token = Token, done });

    private async Task<IActionResult> RedisplayAsync(string? field, string? message, int status, CancellationToken ct)
    {
        if (field is not null)
        {
            Errors = new(new Dictionary<string, string[]> { [field] = [message!] });
        }
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        View = await portal.FindAsync(Token, ct) is { } id ? await portal.ReadAsync(id, ct) : null;
        return View is not null;
    }
}
