using ContactDesk.Audit;
using ContactDesk.CannedResponses;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Live;
using ContactDesk.Moderation;
using ContactDesk.Tags;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Web.Admin;

/// <summary>
/// One ticket: every field, the moderation actions and the audit trail. Each action goes through
/// the same rules (<see cref="TicketActions"/>) and editor as the API, then redirects back here.
/// The conversation is read and written through the API's services (<see cref="ThreadReader"/>,
/// <see cref="MessageValidator"/>, <see cref="MessagePoster"/>).
/// </summary>
[AcceptsUploads]
public sealed class TicketModel(AppDbContext db, TicketEditor editor, ThreadReader thread, MessagePoster poster, PageUploads uploads,
    TimeProvider clock) : PageModel
{
    public TicketOut? Ticket { get; private set; }
    public IReadOnlyList<MessageOut> Thread { get; private set; } = [];
    public PageUploads Uploads => uploads;
    /// <summary>Errors of the reply form, and what was typed into it, when it comes back.</summary>
    public FormErrors ReplyErrors { get; private set; } = FormErrors.None;
    public string? ReplyBody { get; private set; }
    public IReadOnlyList<HistoryEntryOut> History { get; private set; } = [];
    /// <summary>The trail in words (<see cref="ReadableHistory"/>).</summary>
    public IReadOnlyList<HistoryLine> HistoryLines { get; private set; } = [];
    public IReadOnlyList<UserRef> StaffMembers { get; private set; } = [];
    public FormErrors Errors { get; private set; } = FormErrors.None;
    /// <summary>Errors of the add-tag form; the tags in use, for its suggestions.</summary>
    public FormErrors TagErrors { get; private set; } = FormErrors.None;
    public IReadOnlyList<TagOut> TagOptions { get; private set; } = [];
    /// <summary>The canned responses the reply box offers, and the one chosen when the form comes back.</summary>
    public IReadOnlyList<CannedResponseOut> CannedResponses { get; private set; } = [];
    public string? ReplyCanned { get; private set; }
    /// <summary>Someone else's reply newer than what the reply's author saw (<see cref="ReplyCollision"/>), and what was being sent.</summary>
    public ReplyCollision.Newer? Collision { get; private set; }
    public string? CollisionSend { get; private set; }
    public bool CollisionHadFiles { get; private set; }
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    [TempData] public string? Notice { get; set; }
    [TempData] public string? Problem { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        await LoadAsync(id, ct);
        if (Ticket is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostUpdateAsync(Guid id, string? status, string? category, string? priority, string? assignee,
        string? adminNotes, int version, CancellationToken ct)
    {
        var errors = new FieldErrors();
        TicketStatus? newStatus = WireNames.TryParse<TicketStatus>(status, out var s) ? s : null;
        TicketCategory? newCategory = WireNames.TryParse<TicketCategory>(category, out var c) ? c : null;
        if (newStatus is null) errors.Add("status", $"Must be one of: {WireNames.AllOf<TicketStatus>()}.");
        if (newCategory is null) errors.Add("category", $"Must be one of: {WireNames.AllOf<TicketCategory>()}.");
        // A form from before priorities existed (or without the field) leaves the priority as it is.
        TicketPriority? newPriority = WireNames.TryParse<TicketPriority>(priority, out var p) ? p : null;
        if (priority is not null && newPriority is null) errors.Add("priority", $"Must be one of: {WireNames.AllOf<TicketPriority>()}.");
        Guid? assigneeId = Guid.TryParse(assignee, out var a) ? a : null;
        if (assigneeId is { } staffId && !await Staff.IsStaffAsync(db, staffId, ct))
        {
            errors.Add("assignee", "Choose a moderator or admin.");
        }
        var notes = errors.OptionalText("admin_notes", adminNotes, TicketPatch.NotesMax);
        if (errors.Any)
        {
            await LoadAsync(id, ct);
            Errors = new(errors.ToDictionary());
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var patch = new TicketPatch(newStatus, newCategory, new(notes), new(assigneeId), newPriority);
        var now = clock.GetUtcNow().UtcDateTime;
        // The version the form was rendered with: a change made meanwhile by someone else is not overwritten.
        var ifMatch = IfMatch.ForVersion(version);
        return Outcome(id, await editor.EditAsync(id, t => patch.ApplyTo(t, User.GetId(), now), ifMatch, ct), "Saved.");
    }

    /// <param name="send">The button pressed: "reply", "resolve" (reply and resolve) or "note".</param>
    /// <param name="lastSeen">The newest message of the thread the form was shown with.</param>
    /// <param name="confirm">Sent anyway after the collision prompt.</param>
    public async Task<IActionResult> OnPostMessageAsync(Guid id, string? send, string? body, string? cannedResponseId, List<IFormFile> files,
        [FromForm(Name = ReplyCollision.LastSeenField)] Guid? lastSeen, [FromForm(Name = ReplyCollision.ConfirmField)] bool confirm,
        CancellationToken ct)
    {
        var request = send == "resolve" ? new MessageRequest("reply", body, "resolved", cannedResponseId)
            : new MessageRequest(send, body, CannedResponseId: cannedResponseId);
        var errors = new FieldErrors();
        using var upload = await uploads.StageAsync(files, errors, ct);
        // Files that were chosen but refused still count: the error is theirs, not a missing text's.
        var message = MessageValidator.Validate(request, upload?.Files.Count ?? files.Count, errors);
        if (message is not null && upload is not null && message.Kind == MessageKind.Reply && !confirm
            && await ReplyCollision.FindAsync(db, id, lastSeen, User.GetId(), ct) is { } newer)
        {
            await LoadAsync(id, ct);
            (Collision, CollisionSend, CollisionHadFiles, ReplyBody, ReplyCanned) = (newer, send, upload.Files.Count > 0, body, cannedResponseId);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        var posted = message is null || upload is null ? null : await poster.PostAsync(id, message, upload.Files, User.GetId(), MessageSource.Api, ct);
        if (posted is null or MessagePoster.UnknownCannedResponse)
        {
            if (posted is not null)
            {
                errors.Add("canned_response_id", "This canned response no longer exists.");
            }
            await LoadAsync(id, ct);
            (ReplyErrors, ReplyBody, ReplyCanned) = (new(errors.ToDictionary()), body, cannedResponseId);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (posted is MessagePoster.NotFound)
        {
            return NotFound();
        }
        Notice = message!.Kind == MessageKind.Note ? "Internal note added."
            : message.Status == TicketStatus.Resolved ? "Reply sent; the ticket is resolved." : "Reply sent.";
        return RedirectToPage(new { id });
    }

    public Task<IActionResult> OnPostAddTagAsync(Guid id, string? tag, int version, CancellationToken ct) =>
        EditTagsAsync(id, tag, version, (t, name) => TagActions.AddOne(t, name), "Tag added.", ct);

    public Task<IActionResult> OnPostRemoveTagAsync(Guid id, string? tag, int version, CancellationToken ct) =>
        EditTagsAsync(id, tag, version, TagActions.Remove, "Tag removed.", ct);

    /// <summary>One tag added or removed, with the same validation as the API and the version the page showed.</summary>
    private async Task<IActionResult> EditTagsAsync(Guid id, string? tag, int version, Func<Ticket, string, TicketActions.Outcome> action,
        string done, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (TagNames.Normalize("tag", tag, errors) is not { } name)
        {
            await LoadAsync(id, ct);
            TagErrors = new(errors.ToDictionary());
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return Outcome(id, await editor.EditAsync(id, t => action(t, name), IfMatch.ForVersion(version), ct), done);
    }

    public async Task<IActionResult> OnPostClaimAsync(Guid id, CancellationToken ct)
    {
        var me = User.GetId();
        return Outcome(id, await editor.EditAsync(id, t => TicketActions.AssignToMe(t, me), null, ct), "Assigned to you.");
    }

    public async Task<IActionResult> OnPostResolveAsync(Guid id, string? resolutionNotes, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var notes = errors.OptionalText("resolution_notes", resolutionNotes, TicketPatch.NotesMax);
        if (errors.Any)
        {
            Problem = errors.ToDictionary().First().Value[0];
            return RedirectToPage(new { id });
        }
        var me = User.GetId();
        var now = clock.GetUtcNow().UtcDateTime;
        return Outcome(id, await editor.EditAsync(id, t => TicketActions.Resolve(t, me, notes, now), null, ct),
            "Resolved; the submitter is being emailed.");
    }

    public async Task<IActionResult> OnPostArchiveAsync(Guid id, CancellationToken ct) =>
        Outcome(id, await editor.EditAsync(id, TicketActions.Archive, null, ct), "Archived.");

    public async Task<IActionResult> OnPostRestoreAsync(Guid id, CancellationToken ct) =>
        Outcome(id, await editor.EditAsync(id, TicketActions.Restore, null, ct), "Restored.");

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, bool confirm, CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }
        if (!confirm)
        {
            Problem = "Tick the box to confirm the deletion.";
            return RedirectToPage(new { id });
        }
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is not null)
        {
            db.Tickets.Remove(ticket);
            await db.SaveChangesAsync(ct);
        }
        return Redirect("/admin");
    }

    private IActionResult Outcome(Guid id, TicketEditor.Result result, string done)
    {
        switch (result)
        {
            case TicketEditor.NotFound:
                return NotFound();
            case TicketEditor.Stale:
                Problem = "Someone else changed this ticket while you were editing it. Here is the current version; make your change again.";
                break;
            case TicketEditor.Refused refused:
                Problem = refused.Reason;
                break;
            default:
                Notice = done;
                break;
        }
        return RedirectToPage(new { id });
    }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        Ticket = await editor.ReadAsync(id, ct);
        Thread = await thread.ReadAsync(id, publicOnly: false, ct) ?? [];
        History = await HistoryEndpoints.ReadAsync(db, id, ct);
        StaffMembers = await Staff.ListAsync(db, ct);
        TagOptions = await TagEndpoints.SuggestAsync(db, "", ct);
        CannedResponses = await CannedResponseStore.ListAsync(db, User.GetId(), ct);
        HistoryLines = ReadableHistory.Of(History, await NamesAsync(History, ct), Thread);
    }

    /// <summary>The names of everyone the trail mentions by id (acting, assigned, resolving, submitting).</summary>
    private async Task<Dictionary<Guid, string>> NamesAsync(IReadOnlyList<HistoryEntryOut> history, CancellationToken ct)
    {
        var ids = history.SelectMany(e => e.Changes.Select(c => c.Value).OfType<System.Text.Json.Nodes.JsonArray>().SelectMany(v => v))
            .Select(v => Guid.TryParse(v?.ToString(), out var id) ? id : (Guid?)null)
            .Concat(history.Select(e => e.Actor?.Id))
            .OfType<Guid>().Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }
}
