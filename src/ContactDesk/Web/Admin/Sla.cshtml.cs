using System.Globalization;
using System.Text.RegularExpressions;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Sla;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ContactDesk.Web.Admin;

/// <summary>The SLA policy as a form: the same validator as <c>PUT /api/v1/admin/sla</c>.</summary>
public sealed partial class SlaModel(AppDbContext db, SlaPolicyStore store, TimeProvider clock) : PageModel
{
    public static readonly (string Key, string Label)[] Days =
        [("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday"), ("thu", "Thursday"), ("fri", "Friday"), ("sat", "Saturday"), ("sun", "Sunday")];
    public static readonly string[] Priorities = ["urgent", "high", "normal", "low"];

    [BindProperty] public SlaForm Form { get; set; } = new();
    public FormErrors Errors { get; private set; } = FormErrors.None;
    [TempData] public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Form = SlaForm.From((await store.GetAsync(db, ct)).Settings);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var settings = Form.ToSettings();
        var errors = new FieldErrors();
        if (SlaValidator.Validate(settings, errors) is null)
        {
            // A day's window errors show beside the day's one field.
            Errors = new FormErrors(errors.ToDictionary()
                .GroupBy(e => IndexSuffix().Replace(e.Key, ""))
                .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).Distinct().ToArray()));
            return Page();
        }
        await store.SaveAsync(db, settings, clock.GetUtcNow().UtcDateTime, ct);
        Notice = "Saved. Tickets take the new policy at their next change; new tickets at once.";
        return RedirectToPage();
    }

    [GeneratedRegex(@"\[\d+\]$")]
    private static partial Regex IndexSuffix();
}

/// <summary>The policy as form fields: a day's windows as "09:00-12:00, 13:00-17:00", holidays one per line.</summary>
public sealed class SlaForm
{
    public bool Enabled { get; set; }
    public string? TimeZone { get; set; }
    public Dictionary<string, string?> Hours { get; set; } = [];
    public string? Holidays { get; set; }
    public Dictionary<string, int> FirstResponse { get; set; } = [];
    public Dictionary<string, int> Resolution { get; set; } = [];
    public int WarnBeforeMinutes { get; set; }

    public static SlaForm From(SlaSettings s) => new()
    {
        Enabled = s.Enabled,
        TimeZone = s.TimeZone,
        Hours = SlaModel.Days.ToDictionary(d => d.Key, d => (string?)string.Join(", ", (Day(s.BusinessHours, d.Key) ?? []).Select(w => string.Join('-', w)))),
        Holidays = string.Join('\n', s.Holidays ?? []),
        FirstResponse = SlaModel.Priorities.ToDictionary(p => p, p => Target(s.Targets, p)?.FirstResponseMinutes ?? 0),
        Resolution = SlaModel.Priorities.ToDictionary(p => p, p => Target(s.Targets, p)?.ResolutionMinutes ?? 0),
        WarnBeforeMinutes = s.WarnBeforeMinutes,
    };

    public SlaSettings ToSettings() => new(
        Enabled,
        TimeZone?.Trim(),
        new BusinessHours(Windows("mon"), Windows("tue"), Windows("wed"), Windows("thu"), Windows("fri"), Windows("sat"), Windows("sun")),
        (Holidays ?? "").Split(['\n', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        new SlaTargets(TargetOf("urgent"), TargetOf("high"), TargetOf("normal"), TargetOf("low")),
        WarnBeforeMinutes);

    /// <summary>"09:00-12:00, 13:00-17:00" as pairs; a malformed piece stays a one-element pair, which the validator names.</summary>
    private List<IReadOnlyList<string>> Windows(string day) =>
        (Hours.GetValueOrDefault(day) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => (IReadOnlyList<string>)w.Split('-', StringSplitOptions.TrimEntries)).ToList();

    private SlaTarget TargetOf(string priority) =>
        new(FirstResponse.GetValueOrDefault(priority), Resolution.GetValueOrDefault(priority));

    private static IReadOnlyList<IReadOnlyList<string>>? Day(BusinessHours? h, string key) => key switch
    {
        "mon" => h?.Mon, "tue" => h?.Tue, "wed" => h?.Wed, "thu" => h?.Thu, "fri" => h?.Fri, "sat" => h?.Sat, _ => h?.Sun,
    };

    private static SlaTarget? Target(SlaTargets? t, string priority) => priority switch
    {
        "urgent" => t?.Urgent, "high" => t?.High, "normal" => t?.Normal, _ => t?.Low,
    };

    public static string Minutes(int value) => value.ToString(CultureInfo.InvariantCulture);
}
