using ContactDesk.Hosting;
using ContactDesk.Submissions;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactDesk.Web.Contact;

/// <summary>
/// The public contact form. It posts to itself and goes through the API's validator and submitter,
/// so both accept and refuse the same things; works without JavaScript. Files chosen with it become
/// attachments of the ticket's first message.
/// </summary>
[EnableRateLimiting(SubmitRateLimit.Policy)]
[AcceptsUploads]
public sealed class IndexModel(TicketSubmitter submitter, PageUploads uploads, KnowledgeBase.SuggestionVisits visits) : PageModel
{
    public PageUploads Uploads => uploads;

    [BindProperty]
    public ContactForm Form { get; set; } = new();

    public FormErrors Errors { get; private set; } = FormErrors.None;

    public TicketOut? Created { get; private set; }

    /// <summary><c>?embed=1</c>: no site chrome, for an iframe on another website.</summary>
    [BindProperty(SupportsGet = true, Name = "embed")]
    public bool Embedded { get; set; }

    public void OnGet() => Form.IdempotencyKey = Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnPostAsync(List<IFormFile> files, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(Form.Website))
        {
            // The honeypot field is hidden from people; only bots fill it. Pretend all went well.
            Created = null;
            return RedirectToPage(new { sent = 1, embed = Embedded ? "true" : null });
        }

        var errors = new FieldErrors();
        var key = Form.IdempotencyKey is { Length: > 0 and <= 64 } k && k.All(char.IsAsciiLetterOrDigit) ? "form-" + k : null;
        using var upload = await uploads.StageAsync(files, errors, ct);
        var submission = SubmissionValidator.Validate(
            new SubmitRequest(Form.Name, Form.Email, Form.Subject, Form.Message, Form.Category), account: null, errors);
        if (submission is null || upload is null)
        {
            if (upload is { Files.Count: > 0 })
            {
                // The files were fine, but a browser does not keep chosen files when the page comes back.
                errors.Add(PageUploads.Field, "Please choose the files again: they are not kept while the form has errors.");
            }
            Errors = new(errors.ToDictionary());
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        switch (await submitter.SubmitAsync(submission, userId: null, key, ct, Conversation.MessageSource.Form, upload.Files))
        {
            case TicketSubmitter.Accepted accepted:
                Created = accepted.Ticket;
                await visits.SubmittedAsync(Form.KbVisitId, ct);
                return Page();
            default:
                // The page's key was reused with different text (the form was edited after sending): start afresh.
                Form.IdempotencyKey = Guid.NewGuid().ToString("N");
                Errors = new(new Dictionary<string, string[]> { ["form"] = ["This form was already sent with other text. Please send it again."] });
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }
    }
}

public sealed class ContactForm
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Subject { get; set; }
    public string? Message { get; set; }
    public string? Category { get; set; } = "general";

    /// <summary>Made when the form is shown; sending the same form twice (a reload, a double click) makes one ticket.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Set by the suggestions script: this visit opened suggested articles (knowledge base).</summary>
    public string? KbVisitId { get; set; }

    /// <summary>Honeypot: hidden from people, filled in by bots.</summary>
    public string? Website { get; set; }
}
