using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using Xunit.Abstractions;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests.OpenApi;

/// <summary>
/// The document and the app agree: every operation of the served document is called for real, for a
/// success and for at least one error, and each answer's status, media type, headers and body are
/// checked against what the document declares for that status (the body with a JSON Schema validator).
/// An operation added to the app without a case here fails the test.
/// </summary>
public abstract class OpenApiAgreementTests(ContactDeskApp app, ITestOutputHelper output)
{
    /// <summary>One real request, made in list order (later cases rely on earlier ones), and the status it must get.</summary>
    private sealed record Case(string OperationId, int Status, Func<Task<HttpResponseMessage>> Send);

    [Fact]
    public async Task Every_operation_answers_successes_and_errors_as_the_document_declares()
    {
        var contract = await OpenApiContract.LoadAsync(app.CreateClient());
        var cases = await CasesAsync();

        var uncovered = contract.Operations
            .Where(op => !cases.Any(c => c.OperationId == op.Id && c.Status < 300) || !cases.Any(c => c.OperationId == op.Id && c.Status >= 400))
            .Select(op => $"{op.Method} {op.Path} ({op.Id})").ToList();
        Assert.True(uncovered.Count == 0, "Operations without a success and an error case in this test:\n" + string.Join("\n", uncovered));

        var failures = new List<string>();
        foreach (var check in cases)
        {
            using var response = await check.Send();
            var problems = (int)response.StatusCode == check.Status
                ? await contract.CheckAsync(check.OperationId, response)
                : [$"answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"];
            failures.AddRange(problems.Select(p => $"{check.OperationId} {check.Status}: {p}"));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        output.WriteLine($"{cases.Count} answers from {contract.Operations.Count} operations agree with the document");
    }

    private async Task<List<Case>> CasesAsync()
    {
        var anonymous = app.CreateClient();
        var user = (await app.CreateUserAsync("user")).Client;
        var moderatorAccount = await app.CreateUserAsync("moderator");
        var moderator = moderatorAccount.Client;
        var admin = (await app.CreateUserAsync("admin")).Client;
        var locked = await LockedOutAccountAsync();
        var tickets = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            tickets.Add((await SubmitAsync(Form())).IdOf());
        }
        var (claimed, resolved, archived, bulked, deleted) = (tickets[0], tickets[1], tickets[2], tickets[3], tickets[4]);
        var number = (string)(await moderator.GetObjectAsync($"{Contact}/{claimed}"))["ticket_number"]!;
        var failedEmail = await FailedEmailAsync(admin);
        var unknown = Guid.NewGuid();
        var key = Guid.NewGuid().ToString();
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var limited = app.CreateClientFrom(RealServer.NewClientAddress());
        for (var i = 0; i < 3; i++)
        {
            await limited.PostAsJsonAsync($"{Contact}/submit", Form());
        }

        return
        [
            new("Login", 200, () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = moderatorAccount.Email, password = moderatorAccount.Password })),
            new("Login", 400, () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = moderatorAccount.Email })),
            new("Login", 401, () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = moderatorAccount.Email, password = "Wrong-horse-1" })),
            new("Login", 429, () => anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = locked.Email, password = locked.Password })),
            new("Register", 201, () => anonymous.PostAsJsonAsync("/api/v1/auth/register", new { name = "Nina", email, password = "Correct-horse-9" })),
            new("Register", 409, () => anonymous.PostAsJsonAsync("/api/v1/auth/register", new { name = "Nina", email, password = "Correct-horse-9" })),
            new("Register", 400, () => anonymous.PostAsJsonAsync("/api/v1/auth/register", new { name = "Nina" })),
            new("Me", 200, () => moderator.GetAsync("/api/v1/auth/me")),
            new("Me", 401, () => anonymous.GetAsync("/api/v1/auth/me")),

            new("Submit", 201, () => SubmitResponseAsync(Form("Keyed"), key)),
            new("Submit", 409, () => SubmitResponseAsync(Form("Another body, same key"), key)),
            new("Submit", 400, () => SubmitResponseAsync(new { name = "Sam", email = "not an address", subject = "Hi", message = "Hello" })),
            new("Submit", 413, () => SubmitResponseAsync(Form(message: new string('x', 70_000)))),
            new("Submit", 415, () => app.CreateClientFrom(RealServer.NewClientAddress()).PostAsync($"{Contact}/submit", new StringContent("hello", Encoding.UTF8, "text/plain"))),
            new("Submit", 429, () => limited.PostAsJsonAsync($"{Contact}/submit", Form())),

            new("ListTickets", 200, () => moderator.GetAsync($"{Contact}/?status=pending,resolved&page_size=5")),
            new("ListTickets", 400, () => moderator.GetAsync($"{Contact}/?page_size=0")),
            new("ListTickets", 401, () => anonymous.GetAsync($"{Contact}/")),
            new("ListTickets", 403, () => user.GetAsync($"{Contact}/")),
            new("GetTicket", 200, () => moderator.GetAsync($"{Contact}/{claimed}")),
            new("GetTicket", 404, () => moderator.GetAsync($"{Contact}/{unknown}")),
            new("GetTicketByNumber", 200, () => moderator.GetAsync($"{Contact}/by-ticket/{number}")),
            new("GetTicketByNumber", 404, () => moderator.GetAsync($"{Contact}/by-ticket/CONT-19990101-9999")),
            new("AssignToMe", 200, () => moderator.ActAsync(claimed, "assign-to-me")),
            new("AssignToMe", 409, () => admin.ActAsync(claimed, "assign-to-me")),
            new("UpdateTicket", 200, async () => await moderator.PatchJsonAsync(claimed, new { admin_notes = "Checked" }, ETagOf(await moderator.GetAsync($"{Contact}/{claimed}")))),
            new("UpdateTicket", 412, () => moderator.PatchJsonAsync(claimed, new { admin_notes = "Stale" }, "\"999999\"")),
            new("UpdateTicket", 400, () => moderator.PatchJsonAsync(claimed, new { user_id = unknown })),
            new("MarkResolved", 200, () => moderator.PostAsJsonAsync($"{Contact}/{resolved}/mark-resolved", new { resolution_notes = "Done" })),
            new("MarkResolved", 409, () => moderator.PostAsJsonAsync($"{Contact}/{resolved}/mark-resolved", new { resolution_notes = "Again" })),
            new("Archive", 200, () => moderator.ActAsync(archived, "archive")),
            new("Archive", 409, () => moderator.ActAsync(archived, "archive")),
            new("Restore", 200, () => moderator.ActAsync(archived, "restore")),
            new("Restore", 409, () => moderator.ActAsync(archived, "restore")),
            new("Bulk", 200, () => moderator.PostAsJsonAsync($"{Contact}/bulk", new { ids = new[] { bulked, unknown }, action = "archive" })),
            new("Bulk", 400, () => moderator.PostAsJsonAsync($"{Contact}/bulk", new { ids = new[] { bulked }, action = "explode" })),
            new("TicketHistory", 200, () => moderator.GetAsync($"{Contact}/{claimed}/history")),
            new("TicketHistory", 404, () => moderator.GetAsync($"{Contact}/{unknown}/history")),
            new("ExportCsv", 200, () => moderator.GetAsync($"{Contact}/export.csv?status=pending")),
            new("ExportCsv", 400, () => moderator.GetAsync($"{Contact}/export.csv?ordering=sideways")),
            new("StatsOverview", 200, () => moderator.GetAsync($"{Contact}/stats/overview")),
            new("StatsOverview", 403, () => user.GetAsync($"{Contact}/stats/overview")),
            new("DeleteTicket", 403, () => moderator.DeleteAsync($"{Contact}/{deleted}")),
            new("DeleteTicket", 204, () => admin.DeleteAsync($"{Contact}/{deleted}")),

            new("ListEmails", 200, () => admin.GetAsync("/api/v1/admin/emails/?state=failed")),
            new("ListEmails", 400, () => admin.GetAsync("/api/v1/admin/emails/?state=lost")),
            new("EmailSummary", 200, () => admin.GetAsync("/api/v1/admin/emails/summary")),
            new("EmailSummary", 403, () => moderator.GetAsync("/api/v1/admin/emails/summary")),
            new("RequeueEmail", 204, () => admin.PostAsync($"/api/v1/admin/emails/{failedEmail}/requeue", null)),
            new("RequeueEmail", 404, () => admin.PostAsync($"/api/v1/admin/emails/{unknown}/requeue", null)),
        ];
    }

    private static object Form(string? subject = null, string message = "Hello") =>
        new { name = "Sam", email = "sam@example.com", subject = subject ?? $"Question {Guid.NewGuid():N}", message, category = "general" };

    /// <summary>Submits from a client address of its own, so that the rate limit stays out of the way.</summary>
    private Task<HttpResponseMessage> SubmitResponseAsync(object form, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Contact}/submit") { Content = JsonContent.Create(form) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return app.CreateClientFrom(RealServer.NewClientAddress()).SendAsync(request);
    }

    private async Task<JsonObject> SubmitAsync(object form)
    {
        var response = await SubmitResponseAsync(form);
        await response.AssertStatusAsync(System.Net.HttpStatusCode.Created);
        return await response.ReadObjectAsync();
    }

    private static string ETagOf(HttpResponseMessage response) => response.Headers.ETag!.ToString();

    /// <summary>An account whose wrong passwords have locked it: its next sign-in is a 429.</summary>
    private async Task<TestUser> LockedOutAccountAsync()
    {
        var account = await app.CreateUserAsync("user");
        for (var i = 0; i < 5; i++)
        {
            await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = "Wrong-horse-1" });
        }
        return account;
    }

    /// <summary>The id of an email the app could not deliver (its SMTP port refuses connections, one attempt).</summary>
    private static async Task<Guid> FailedEmailAsync(HttpClient admin)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(200))
        {
            var failed = await admin.GetObjectAsync("/api/v1/admin/emails/?state=failed");
            if (failed["items"]!.AsArray().FirstOrDefault() is { } email)
            {
                return email.IdOf();
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("No email failed within 30 s.");
    }
}

public sealed class OpenApiAgreementTestsOnSqlite(SqliteIntegratorApp app, ITestOutputHelper output)
    : OpenApiAgreementTests(app, output), IClassFixture<SqliteIntegratorApp>;

public sealed class OpenApiAgreementTestsOnPostgres(PostgresIntegratorApp app, ITestOutputHelper output)
    : OpenApiAgreementTests(app, output), IClassFixture<PostgresIntegratorApp>;
