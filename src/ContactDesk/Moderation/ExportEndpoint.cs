using System.Globalization;
using System.Security.Claims;
using System.Text;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Tickets;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Moderation;

/// <summary>
/// <c>GET /export.csv</c>: every ticket the queue's filters match, streamed row by row from the
/// database cursor to the response, so memory stays flat whatever the row count.
/// </summary>
public static class ExportEndpoint
{
    public static readonly string[] Columns =
    [
        "id", "ticket_number", "created_at", "updated_at", "status", "category", "name", "email", "subject", "message",
        "user_id", "assigned_to", "resolved_by", "resolved_at", "admin_notes", "resolution_notes",
        // Wave 2's columns go last, so that a spreadsheet reading the columns by position keeps working.
        "priority",
    ];

    private const int FlushEvery = 500;

    public static void MapExport(this RouteGroupBuilder group) =>
        group.MapGet("/export.csv", Export).WithName("ExportCsv")
            .WithSummary("The filtered queue as CSV (same filters as the list, no pagination)")
            .Produces<string>(StatusCodes.Status200OK, contentType: "text/csv");

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Export(
        [AsParameters] TicketQuery query, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (TicketFilter.Parse(query, user.GetId(), errors) is not { } filter)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }
        var rows = (await filter.ApplyAsync(db, ct)).Select(t => new
        {
            t.Id, t.TicketNumber, t.CreatedAt, t.UpdatedAt, t.Status, t.Category, t.Name, t.Email, t.Subject, t.Message,
            t.UserId,
            AssignedTo = t.AssignedTo == null ? null : t.AssignedTo.Email,
            ResolvedBy = t.ResolvedBy == null ? null : t.ResolvedBy.Email,
            t.ResolvedAt, t.AdminNotes, t.ResolutionNotes, t.Priority,
        });
        var fileName = $"contact-export-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv";

        return TypedResults.Stream(async body =>
        {
            var ct = CancellationToken.None;
            // The query runs before the first byte is written (the writers flush on disposal, which
            // starts the response): a database that is down still gets its 503 problem, not a cut 200.
            await using var cursor = rows.AsAsyncEnumerable().GetAsyncEnumerator(ct);
            var more = await cursor.MoveNextAsync();
            await using var text = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            // Cells starting with = + - @ are prefixed so that spreadsheets do not run them as formulas.
            await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
            foreach (var column in Columns)
            {
                csv.WriteField(column);
            }
            await csv.NextRecordAsync();

            var count = 0;
            for (; more; more = await cursor.MoveNextAsync())
            {
                var row = cursor.Current;
                csv.WriteField(row.Id);
                csv.WriteField(row.TicketNumber);
                csv.WriteField(Iso(row.CreatedAt));
                csv.WriteField(Iso(row.UpdatedAt));
                csv.WriteField(WireNames.Of(row.Status));
                csv.WriteField(WireNames.Of(row.Category));
                csv.WriteField(row.Name);
                csv.WriteField(row.Email);
                csv.WriteField(row.Subject);
                csv.WriteField(row.Message);
                csv.WriteField(row.UserId);
                csv.WriteField(row.AssignedTo);
                csv.WriteField(row.ResolvedBy);
                csv.WriteField(row.ResolvedAt is { } resolved ? Iso(resolved) : null);
                csv.WriteField(row.AdminNotes);
                csv.WriteField(row.ResolutionNotes);
                csv.WriteField(WireNames.Of(row.Priority));
                await csv.NextRecordAsync();
                if (++count % FlushEvery == 0)
                {
                    await csv.FlushAsync();
                }
            }
            await csv.FlushAsync();
        }, "text/csv; charset=utf-8", fileName);
    }

    private static string Iso(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
