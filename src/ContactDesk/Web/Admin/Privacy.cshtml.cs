using ContactDesk.Attachments;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Privacy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>
/// Data-protection requests: download everything about an address, or erase it after a preview
/// of what goes (the preview is a GET, the erasure a confirmed, CSRF-checked POST). No script needed.
/// </summary>
[Authorize(Policy = Roles.AdminPagesPolicy)]
public sealed class PrivacyModel(AppDbContext db, PrivacyEraser eraser, AttachmentStore store, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }

    public ErasePreview? Preview { get; private set; }
    public FormErrors Errors { get; private set; } = FormErrors.None;

    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Email is null)
        {
            return Page();
        }
        if (Valid() is not { } address)
        {
            return Invalid();
        }
        Preview = await eraser.PreviewAsync(address, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (Valid() is not { } address)
        {
            return Invalid();
        }
        return new ZipDownload(await PrivacyEndpoints.ZipAsync(address, db, store, clock, ct), PrivacyEndpoints.ZipName(clock));
    }

    public async Task<IActionResult> OnPostEraseAsync(bool confirm, CancellationToken ct)
    {
        if (Valid() is not { } address)
        {
            return Invalid();
        }
        if (!confirm)
        {
            Errors = new(new Dictionary<string, string[]> { ["confirm"] = ["Tick the box to confirm the erasure."] });
            Preview = await eraser.PreviewAsync(address, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var result = await eraser.EraseAsync(address, User, ct);
        Notice = $"Erased {address}: {result.Tickets} ticket{(result.Tickets == 1 ? "" : "s")}, {result.Messages} message{(result.Messages == 1 ? "" : "s")}, {result.Attachments} attachment{(result.Attachments == 1 ? "" : "s")}.";
        return RedirectToPage();
    }

    private string? Valid()
    {
        var errors = new FieldErrors();
        var address = PrivacyEndpoints.Validate(Email, errors);
        Errors = new(errors.ToDictionary());
        return address;
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>The export's ZIP written straight to the response, as the API's endpoint does.</summary>
    private sealed class ZipDownload(Func<Stream, Task> write, string fileName) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.ContentType = "application/zip";
            response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName }.ToString();
            await write(response.Body);
        }
    }
}
