using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Inbound;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Tests.KnowledgeBase;
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
        for (var i = 0; i < 7; i++)
        {
            tickets.Add((await SubmitAsync(Form())).IdOf());
        }
        var (claimed, resolved, archived, bulked, deleted) = (tickets[0], tickets[1], tickets[2], tickets[3], tickets[4]);
        var (conversed, linked) = (tickets[5], tickets[6]);
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

        // The conversation: a staff reply with a file, which the submitter's portal link can fetch too.
        var reply = await (await moderator.PostAsync($"{Contact}/{conversed}/messages",
            MultipartBody.Form(new { kind = "reply", body = "See the photo." }, ("photo.png", MultipartBody.Png)))).ReadObjectAsync();
        var (replyId, fileId) = (reply.IdOf(), reply["attachments"]![0]!.IdOf());
        var portalUrl = (string)(await (await moderator.PostAsync($"{Contact}/{conversed}/portal-link", null)).ReadObjectAsync())["url"]!;
        var token = portalUrl[(portalUrl.LastIndexOf('/') + 1)..];
        var portal = $"/api/v1/portal/{token}";
        var submitterEmail = (string)(await moderator.GetObjectAsync($"{Contact}/{conversed}"))["email"]!;
        // Each portal request from an address of its own: posting counts against the submit limit, unknown links against the guessing limit.
        HttpClient Visitor() => app.CreateClientFrom(RealServer.NewClientAddress());

        // An account that submitted while signed in: its own tickets.
        var ownerAccount = await app.CreateUserAsync("user");
        var owner = Visitor();
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.LoginAsync(ownerAccount.Email, ownerAccount.Password));
        await (await owner.PostAsJsonAsync($"{Contact}/submit", new { subject = "Mine", message = "Hello" })).AssertStatusAsync(System.Net.HttpStatusCode.Created);

        // Email in: one processed into a ticket (its raw email kept for admins), and later sent again.
        var rawEmail = Mail.Bytes(Mail.Text(Mail.Unique("in"), "Printer on fire", "It is really on fire."));
        var received = await Mail.PostAsync(app, rawEmail);
        await received.AssertStatusAsync(System.Net.HttpStatusCode.Accepted);
        var fromEmail = (await Mail.ProcessedAsync(app, (await received.ReadObjectAsync()).IdOf())).TicketMessageId!.Value;

        // The knowledge base: a published article to read and change, and one to delete.
        var w = UniqueWord();
        var article = await moderator.CreateArticleAsync($"Refunds {w}", $"Refunds for {w} take five days.");
        var (articleId, slug) = ((string)article["id"]!, (string)article["slug"]!);
        var doomed = (string)(await moderator.CreateArticleAsync($"Old {w}", "Gone soon."))["id"]!;

        // Webhooks: one with a delivery queued (a public address that need not answer), one to delete.
        const string hooks = "/api/v1/admin/webhooks";
        var hook = (await (await admin.PostAsJsonAsync(hooks, new { url = "https://203.0.113.10/hook", events = new[] { "ticket.created" } })).ReadObjectAsync()).IdOf();
        await SubmitAsync(Form());
        var delivery = (await (await admin.GetAsync($"{hooks}/{hook}/deliveries")).ReadArrayAsync())[0]!.IdOf();
        var doomedHook = (await (await admin.PostAsJsonAsync(hooks, new { url = "https://203.0.113.11/hook", events = new[] { "ticket.updated" } })).ReadObjectAsync()).IdOf();
        // Tags on a ticket, and canned responses to read, change, render and delete.
        await (await moderator.PatchJsonAsync(linked, new { tags = new[] { $"{w}-old", $"{w}-kept" } })).AssertStatusAsync(System.Net.HttpStatusCode.OK);
        var cannedId = (string)(await (await moderator.PostAsJsonAsync(Canned, new { title = "Thanks", body = "Hi {{ submitter.name }}" })).ReadObjectAsync())["id"]!;
        var doomedCanned = (string)(await (await moderator.PostAsJsonAsync(Canned, new { title = "Old", body = "Bye" })).ReadObjectAsync())["id"]!;

        return
        [
            new("ListWebhooks", 200, () => admin.GetAsync(hooks)),
            new("ListWebhooks", 403, () => moderator.GetAsync(hooks)),
            new("CreateWebhook", 201, () => admin.PostAsJsonAsync(hooks, new { url = "https://203.0.113.12/hook", events = new[] { "message.created" }, active = false })),
            new("CreateWebhook", 400, () => admin.PostAsJsonAsync(hooks, new { url = "http://127.0.0.1/hook", events = new[] { "ticket.created" } })),
            new("UpdateWebhook", 200, () => admin.PatchAsJsonAsync($"{hooks}/{hook}", new { events = new[] { "ticket.created", "ticket.resolved" } })),
            new("UpdateWebhook", 400, () => admin.PatchAsJsonAsync($"{hooks}/{hook}", new { events = new[] { "ticket.burned" } })),
            new("UpdateWebhook", 404, () => admin.PatchAsJsonAsync($"{hooks}/{unknown}", new { active = true })),
            new("ListWebhookDeliveries", 200, () => admin.GetAsync($"{hooks}/{hook}/deliveries")),
            new("ListWebhookDeliveries", 404, () => admin.GetAsync($"{hooks}/{unknown}/deliveries")),
            new("RedeliverWebhook", 202, () => admin.PostAsync($"{hooks}/deliveries/{delivery}/redeliver", null)),
            new("RedeliverWebhook", 404, () => admin.PostAsync($"{hooks}/deliveries/{unknown}/redeliver", null)),
            new("DeleteWebhook", 204, () => admin.DeleteAsync($"{hooks}/{doomedHook}")),
            new("DeleteWebhook", 404, () => admin.DeleteAsync($"{hooks}/{doomedHook}")),

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
            new("PrivacyExport", 200, () => admin.GetAsync($"/api/v1/admin/privacy/export?email={Uri.EscapeDataString(submitterEmail)}")),
            new("PrivacyExport", 400, () => admin.GetAsync("/api/v1/admin/privacy/export?email=nobody")),
            new("PrivacyExport", 403, () => moderator.GetAsync($"/api/v1/admin/privacy/export?email={Uri.EscapeDataString(submitterEmail)}")),
            new("PrivacyErase", 200, () => admin.PostAsJsonAsync("/api/v1/admin/privacy/erase", new { email = $"erased-{Guid.NewGuid():N}@example.com" })),
            new("PrivacyErase", 400, () => admin.PostAsJsonAsync("/api/v1/admin/privacy/erase", new { email = "nobody" })),
            new("PrivacyErase", 403, () => moderator.PostAsJsonAsync("/api/v1/admin/privacy/erase", new { email = "nobody@example.com" })),
            new("GetSlaPolicy", 200, () => admin.GetAsync("/api/v1/admin/sla")),
            new("GetSlaPolicy", 403, () => moderator.GetAsync("/api/v1/admin/sla")),
            new("PutSlaPolicy", 200, () => admin.PutAsJsonAsync("/api/v1/admin/sla", ContactDesk.Sla.SlaSettings.Default, ContactDeskApp.Json)),
            new("PutSlaPolicy", 400, () => admin.PutAsJsonAsync("/api/v1/admin/sla", ContactDesk.Sla.SlaSettings.Default with { TimeZone = "Nowhere/Else" }, ContactDeskApp.Json)),
            new("PutSlaPolicy", 403, () => moderator.PutAsJsonAsync("/api/v1/admin/sla", ContactDesk.Sla.SlaSettings.Default, ContactDeskApp.Json)),

            new("ListMessages", 200, () => moderator.GetAsync($"{Contact}/{conversed}/messages")),
            new("ListMessages", 404, () => moderator.GetAsync($"{Contact}/{unknown}/messages")),
            new("GetMessage", 200, () => moderator.GetAsync($"{Contact}/{conversed}/messages/{replyId}")),
            new("GetMessage", 404, () => moderator.GetAsync($"{Contact}/{conversed}/messages/{unknown}")),
            new("PostMessage", 201, () => moderator.PostAsJsonAsync($"{Contact}/{claimed}/messages", new { kind = "note", body = "Called them." })),
            new("PostMessage", 201, () => moderator.PostAsync($"{Contact}/{claimed}/messages",
                MultipartBody.Form(new { kind = "reply", body = "The label." }, ("label.png", MultipartBody.Png)))),
            new("PostMessage", 400, () => moderator.PostAsJsonAsync($"{Contact}/{claimed}/messages", new { kind = "shout", body = "Hi" })),
            new("PostMessage", 404, () => moderator.PostAsJsonAsync($"{Contact}/{unknown}/messages", new { kind = "note", body = "Hi" })),
            new("PostMessage", 415, () => moderator.PostAsync($"{Contact}/{claimed}/messages", new StringContent("hello", Encoding.UTF8, "text/plain"))),
            new("DownloadAttachment", 200, () => moderator.GetAsync($"/api/v1/attachments/{fileId}")),
            new("DownloadAttachment", 404, () => moderator.GetAsync($"/api/v1/attachments/{unknown}")),
            new("DownloadAttachment", 403, () => user.GetAsync($"/api/v1/attachments/{fileId}")),

            new("GetPortalTicket", 200, () => Visitor().GetAsync(portal)),
            new("GetPortalTicket", 404, () => Visitor().GetAsync($"/api/v1/portal/{new string('a', 32)}")),
            new("PostPortalMessage", 201, () => Visitor().PostAsync($"{portal}/messages",
                MultipartBody.Form(new { body = "Here is mine." }, ("mine.png", MultipartBody.Png)))),
            new("PostPortalMessage", 201, () => Visitor().PostAsJsonAsync($"{portal}/messages", new { body = "And thanks." })),
            new("PostPortalMessage", 400, () => Visitor().PostAsJsonAsync($"{portal}/messages", new { body = "" })),
            new("PostPortalMessage", 404, () => Visitor().PostAsJsonAsync($"/api/v1/portal/{new string('b', 32)}/messages", new { body = "Hi" })),
            new("DownloadPortalAttachment", 200, () => Visitor().GetAsync($"{portal}/attachments/{fileId}")),
            new("DownloadPortalAttachment", 404, () => Visitor().GetAsync($"{portal}/attachments/{unknown}")),
            new("ResolvePortalTicket", 200, () => Visitor().PostAsync($"{portal}/resolve", null)),
            new("ResolvePortalTicket", 409, () => Visitor().PostAsync($"{portal}/resolve", null)),
            new("ReopenPortalTicket", 200, () => Visitor().PostAsync($"{portal}/reopen", null)),
            new("ReopenPortalTicket", 409, () => Visitor().PostAsync($"{portal}/reopen", null)),
            new("NewPortalLink", 200, () => moderator.PostAsync($"{Contact}/{linked}/portal-link", null)),
            new("NewPortalLink", 404, () => moderator.PostAsync($"{Contact}/{unknown}/portal-link", null)),
            new("NewPortalLink", 403, () => user.PostAsync($"{Contact}/{linked}/portal-link", null)),
            new("MyTickets", 200, () => owner.GetAsync("/api/v1/me/tickets")),
            new("MyTickets", 401, () => anonymous.GetAsync("/api/v1/me/tickets")),

            new("ReceiveEmail", 202, () => Mail.PostAsync(app, Mail.Text(Mail.Unique("in"), "Where is my order", "Order 77."))),
            new("ReceiveEmail", 200, () => Mail.PostAsync(app, rawEmail)),
            new("ReceiveEmail", 401, () => Mail.PostAsync(app, rawEmail, token: "not-the-secret")),
            new("ReceiveEmail", 400, () => Mail.PostAsync(app, "no headers, no body"u8.ToArray())),
            new("RawMessage", 200, () => admin.GetAsync($"/api/v1/contact/messages/{fromEmail}/raw")),
            new("RawMessage", 403, () => moderator.GetAsync($"/api/v1/contact/messages/{fromEmail}/raw")),
            new("RawMessage", 404, () => admin.GetAsync($"/api/v1/contact/messages/{unknown}/raw")),

            new("ListArticles", 200, () => anonymous.GetAsync($"{KbApi.Articles}?search={w}")),
            new("ListArticles", 400, () => anonymous.GetAsync($"{KbApi.Articles}?page=0")),
            new("GetArticle", 200, () => anonymous.GetAsync($"{KbApi.Articles}/{slug}")),
            new("GetArticle", 404, () => anonymous.GetAsync($"{KbApi.Articles}/no-such-{w}")),
            new("CreateArticle", 201, () => moderator.PostAsJsonAsync(KbApi.Articles, new { title = $"New {w}", body_markdown = "Text.", status = "published", category = "General", slug = $"new-{w}" })),
            new("CreateArticle", 409, () => moderator.PostAsJsonAsync(KbApi.Articles, new { title = $"Again {w}", body_markdown = "Text.", status = "published", category = "General", slug = $"new-{w}" })),
            new("CreateArticle", 400, () => moderator.PostAsJsonAsync(KbApi.Articles, new { title = " ", body_markdown = "x", status = "secret" })),
            new("CreateArticle", 403, () => user.PostAsJsonAsync(KbApi.Articles, new { title = $"Mine {w}", body_markdown = "Text." })),
            new("UpdateArticle", 200, async () => await moderator.PatchArticleAsync(articleId, new { body_markdown = $"Refunds for {w} take three days." },
                ETagOf(await anonymous.GetAsync($"{KbApi.Articles}/{slug}")))),
            new("UpdateArticle", 412, () => moderator.PatchArticleAsync(articleId, new { body_markdown = "Stale." }, "\"999999\"")),
            new("UpdateArticle", 409, () => moderator.PatchArticleAsync(articleId, new { slug = $"new-{w}" })),
            new("ArticleHistory", 200, () => moderator.GetAsync($"{KbApi.Articles}/{articleId}/history")),
            new("ArticleHistory", 404, () => moderator.GetAsync($"{KbApi.Articles}/{unknown}/history")),
            new("DeleteArticle", 204, () => moderator.DeleteAsync($"{KbApi.Articles}/{doomed}")),
            new("DeleteArticle", 404, () => moderator.DeleteAsync($"{KbApi.Articles}/{doomed}")),
            new("SuggestArticles", 200, () => anonymous.GetAsync($"/api/v1/kb/suggest?q=refunds+{w}")),
            new("SuggestArticles", 400, () => anonymous.GetAsync($"/api/v1/kb/suggest?q={new string('a', 501)}")),
            new("SuggestionOpened", 204, () => anonymous.PostAsJsonAsync("/api/v1/kb/suggest/opened", new { visit_id = Guid.NewGuid().ToString("N") })),
            new("SuggestionOpened", 400, () => anonymous.PostAsJsonAsync("/api/v1/kb/suggest/opened", new { visit_id = "x'; drop" })),

            new("ListTags", 200, () => moderator.GetAsync($"/api/v1/tags?prefix={w}")),
            new("ListTags", 400, () => moderator.GetAsync($"/api/v1/tags?prefix={new string('a', 41)}")),
            new("ListTags", 403, () => user.GetAsync("/api/v1/tags")),
            new("RenameTag", 403, () => moderator.PostAsJsonAsync($"/api/v1/tags/{w}-old/rename", new { to = $"{w}-new" })),
            new("RenameTag", 400, () => admin.PostAsJsonAsync($"/api/v1/tags/{w}-old/rename", new { to = "not a tag" })),
            new("RenameTag", 200, () => admin.PostAsJsonAsync($"/api/v1/tags/{w}-old/rename", new { to = $"{w}-new" })),
            new("RenameTag", 404, () => admin.PostAsJsonAsync($"/api/v1/tags/{w}-old/rename", new { to = $"{w}-new" })),
            new("ListCannedResponses", 200, () => moderator.GetAsync(Canned)),
            new("ListCannedResponses", 401, () => anonymous.GetAsync(Canned)),
            new("CreateCannedResponse", 201, () => moderator.PostAsJsonAsync(Canned, new { title = "Solved", body = "Done, {{ agent.name }}.", set_status = "resolved", add_tags = new[] { "done" } })),
            new("CreateCannedResponse", 400, () => moderator.PostAsJsonAsync(Canned, new { title = "Bad", body = "{{ nobody.knows }}" })),
            new("CreateCannedResponse", 403, () => moderator.PostAsJsonAsync(Canned, new { title = "Team", body = "Hi", shared = true })),
            new("UpdateCannedResponse", 200, () => moderator.PatchAsJsonAsync($"{Canned}/{cannedId}", new { title = "Thank you", set_status = (string?)null })),
            new("UpdateCannedResponse", 400, () => moderator.PatchAsJsonAsync($"{Canned}/{cannedId}", new { body = "{{ broken" })),
            new("UpdateCannedResponse", 404, () => moderator.PatchAsJsonAsync($"{Canned}/{unknown}", new { title = "Gone" })),
            new("DeleteCannedResponse", 204, () => moderator.DeleteAsync($"{Canned}/{doomedCanned}")),
            new("DeleteCannedResponse", 404, () => moderator.DeleteAsync($"{Canned}/{doomedCanned}")),
            new("RenderCannedResponse", 200, () => moderator.GetAsync($"{Canned}/{cannedId}/render?ticket_id={linked}")),
            new("RenderCannedResponse", 400, () => moderator.GetAsync($"{Canned}/{cannedId}/render")),
            new("RenderCannedResponse", 404, () => admin.GetAsync($"{Canned}/{cannedId}/render?ticket_id={linked}")),
        ];
    }

    private const string Canned = "/api/v1/canned-responses";

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
