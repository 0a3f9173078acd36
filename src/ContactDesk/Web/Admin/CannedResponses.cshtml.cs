using ContactDesk.CannedResponses;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Moderation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Web.Admin;

/// <summary>
/// Canned responses: everyone's own, and the shared ones (admins change those). The same validator and
/// permission rule as the API (<see cref="CannedResponseInput"/>, <see cref="CannedResponseStore"/>).
/// </summary>
public sealed class CannedResponsesModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<CannedResponseOut> Items { get; private set; } = [];

    /// <summary>The response being edited (null: a new one), and the form's values and errors.</summary>
    public CannedResponseOut? Editing { get; private set; }
    public CannedForm Form { get; private set; } = new();
    public FormErrors Errors { get; private set; } = FormErrors.None;
    public bool IsAdmin => User.IsInRole(Roles.Admin);

    [TempData] public string? Notice { get; set; }

    public sealed record CannedForm(string? Title = null, string? Body = null, bool Shared = false, string? SetStatus = null, string? AddTags = null);

    public async Task<IActionResult> OnGetAsync(Guid? edit, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (edit is { } id)
        {
            Editing = Items.FirstOrDefault(c => c.Id == id && CannedResponseStore.MayChange(User, c.Shared));
            if (Editing is null)
            {
                return NotFound();
            }
            Form = new(Editing.Title, Editing.Body, Editing.Shared, Editing.SetStatus is { } s ? Tickets.WireNames.Of(s) : null,
                string.Join(", ", Editing.AddTags));
        }
        return Page();
    }

    /// <param name="id">The response to change; none for a new one.</param>
    public async Task<IActionResult> OnPostSaveAsync(Guid? id, CannedForm form, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var tags = (form.AddTags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var input = new CannedResponseInput(form.Title ?? "", form.Body ?? "", form.Shared, new Optional<string?>(form.SetStatus), tags);
        var change = input.Validate(creating: true, errors);
        if (change is not null && !CannedResponseStore.MayChange(User, form.Shared))
        {
            errors.Add("shared", "Only admins share canned responses.");
        }
        CannedResponse? existing = null;
        if (id is { } existingId)
        {
            existing = await CannedResponseStore.VisibleTo(db, User.GetId()).SingleOrDefaultAsync(c => c.Id == existingId, ct);
            if (existing is null || !CannedResponseStore.MayChange(User, existing.Shared))
            {
                return NotFound();
            }
        }
        if (errors.Any)
        {
            await LoadAsync(ct);
            Editing = id is null ? null : Items.FirstOrDefault(c => c.Id == id);
            (Form, Errors) = (form, new(errors.ToDictionary()));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (existing is null)
        {
            await CannedResponseStore.CreateAsync(db, change!, User.GetId(), now, ct);
        }
        else
        {
            change!.ApplyTo(existing);
            existing.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
        Notice = $"Saved \"{change!.Title}\".";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        var canned = await CannedResponseStore.VisibleTo(db, User.GetId()).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (canned is null || !CannedResponseStore.MayChange(User, canned.Shared))
        {
            return NotFound();
        }
        db.CannedResponses.Remove(canned);
        await db.SaveChangesAsync(ct);
        Notice = $"Deleted \"{canned.Title}\".";
        return RedirectToPage();
    }

    public bool MayChange(CannedResponseOut canned) => CannedResponseStore.MayChange(User, canned.Shared);

    private async Task LoadAsync(CancellationToken ct) => Items = await CannedResponseStore.ListAsync(db, User.GetId(), ct);
}
