using System.Security.Cryptography;
using ContactDesk.Client;
using ContactDesk.Client.Models;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using KiotaMultipartBody = Microsoft.Kiota.Abstractions.MultipartBody;

namespace ContactDesk.Tests.OpenApi;

/// <summary>
/// What an integrator does with the C# client Kiota generates from the OpenAPI document
/// (tests/ContactDesk.Client, refreshed by scripts/openapi.sh), against the app on a real port with
/// Kiota's default HTTP pipeline. A change to the document that breaks this client breaks this build.
/// </summary>
public abstract class GeneratedClientTests(ContactDeskApp app)
{
    [Fact]
    public async Task An_integrator_submits_signs_in_finds_replies_with_a_file_resolves_and_reads_the_history_of_a_ticket()
    {
        var visitor = Client();
        var word = ModerationApiExtensions.UniqueWord();
        var form = new SubmitRequest { Name = "Sam Submitter", Email = "sam@example.com", Subject = $"Parcel {word}", Message = "Where is my parcel?", Category = SubmitRequest_category.Data };
        var key = Guid.NewGuid().ToString();

        // Submit with an Idempotency-Key: a retry of the same request is the same ticket.
        var submitted = await visitor.Api.V1.Contact.Submit.PostAsync(form, c => c.Headers.Add("Idempotency-Key", key));
        var retried = await visitor.Api.V1.Contact.Submit.PostAsync(form, c => c.Headers.Add("Idempotency-Key", key));
        Assert.Equal(TicketStatus.Pending, submitted!.Status);
        Assert.Equal(TicketCategory.Data, submitted.Category);
        Assert.Equal(submitted.Id, retried!.Id);
        var id = submitted.Id!.Value;

        // Sign in: the token goes into every later request.
        var moderator = await app.CreateUserAsync("moderator");
        var token = await visitor.Api.V1.Auth.Login.PostAsync(new LoginRequest { Email = moderator.Email, Password = moderator.Password });
        Assert.Equal("Bearer", token!.TokenType);
        var (staff, staffAdapter) = Connect(token.AccessToken);
        Assert.Equal(moderator.Id, (await staff.Api.V1.Auth.Me.GetAsync())!.Id);

        // List and filter: the pending tickets that mention the word.
        var page = await staff.Api.V1.Contact.GetAsync(c =>
        {
            c.QueryParameters.Status = "pending";
            c.QueryParameters.Search = word;
            c.QueryParameters.PageSize = 10;
        });
        Assert.Equal(1, page!.Total);
        Assert.Equal(id, Assert.Single(page.Items!).Id);

        // Reply with a file. The generated PostAsync sends JSON (Kiota picks one body type); a form
        // with files goes through the request builder's RequestInformation as a MultipartBody.
        var pdf = "%PDF-1.4 delivery note"u8.ToArray();
        var upload = new KiotaMultipartBody();
        upload.AddOrReplacePart("kind", "text/plain", "reply");
        upload.AddOrReplacePart("body", "text/plain", "Here is the delivery note.");
        upload.AddOrReplacePart("files", "application/pdf", new MemoryStream(pdf), "delivery-note.pdf");
        var request = staff.Api.V1.Contact[id].Messages.ToGetRequestInformation();
        request.HttpMethod = Method.POST;
        request.SetContentFromParsable(staffAdapter, "multipart/form-data", upload);
        var reply = await staffAdapter.SendAsync(request, MessageOut.CreateFromDiscriminatorValue);
        Assert.Equal(MessageKind.Reply, reply!.Kind);
        var file = Assert.Single(reply.Attachments!);
        Assert.Equal("delivery-note.pdf", file.Filename);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), file.Sha256);
        var thread = await staff.Api.V1.Contact[id].Messages.GetAsync();
        Assert.Equal("delivery-note.pdf", Assert.Single(thread!, m => m.Id == reply.Id).Attachments!.Single().Filename);

        // Resolve, with notes for the submitter.
        var resolved = await staff.Api.V1.Contact[id].MarkResolved.PostAsync(new ResolveRequest { ResolutionNotes = "Sent again today." });
        Assert.Equal(TicketStatus.Resolved, resolved!.Status);
        Assert.Equal(moderator.Id, resolved.ResolvedBy!.Id);

        // The history: who did what, oldest first.
        var history = await staff.Api.V1.Contact[id].History.GetAsync();
        Assert.Equal(["created", "resolved"], history!.Select(h => h.Action).Where(a => a is "created" or "resolved"));
        Assert.Null(history![0].Actor);
        Assert.Equal(moderator.Id, history.Single(h => h.Action == "resolved").Actor!.Id);
    }

    [Fact]
    public async Task A_stale_If_Match_is_a_412_problem_the_client_can_catch()
    {
        var staff = await StaffClientAsync();
        var ticket = await Client().Api.V1.Contact.Submit.PostAsync(new SubmitRequest { Name = "Sam", Email = "sam@example.com", Subject = "Stale", Message = "Hello" });
        var id = ticket!.Id!.Value;

        // The ETag is a response header: Kiota hands it over through the headers-inspection option.
        var inspection = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        await staff.Api.V1.Contact[id].GetAsync(c => c.Options.Add(inspection));
        var etag = Assert.Single(inspection.ResponseHeaders["ETag"]);

        var changed = await staff.Api.V1.Contact[id].PatchAsync(new TicketPatchBody { AdminNotes = "First" }, c => c.Headers.Add("If-Match", etag));
        Assert.Equal("First", changed!.AdminNotes);
        var stale = await Assert.ThrowsAsync<ProblemDetails>(() =>
            staff.Api.V1.Contact[id].PatchAsync(new TicketPatchBody { AdminNotes = "Second" }, c => c.Headers.Add("If-Match", etag)));

        Assert.Equal(412, stale.ResponseStatusCode);
        Assert.Equal(412, stale.Status);
        Assert.False(string.IsNullOrEmpty(stale.Detail));
        Assert.Equal("First", (await staff.Api.V1.Contact[id].GetAsync())!.AdminNotes);
    }

    [Fact]
    public async Task Too_many_submissions_are_a_429_problem_with_Retry_After()
    {
        var visitor = Client();
        var form = new SubmitRequest { Name = "Sam", Email = "sam@example.com", Subject = "Many", Message = "Hello" };
        // Kiota's retry handler would wait out Retry-After and try again by itself; an integrator who
        // wants to decide turns it off for the request.
        void NoRetry(RequestConfiguration<DefaultQueryParameters> c) => c.Options.Add(new RetryHandlerOption { MaxRetry = 0 });
        for (var i = 0; i < 3; i++)
        {
            await visitor.Api.V1.Contact.Submit.PostAsync(form, NoRetry);
        }

        var limited = await Assert.ThrowsAsync<ProblemDetails>(() => visitor.Api.V1.Contact.Submit.PostAsync(form, NoRetry));

        Assert.Equal(429, limited.ResponseStatusCode);
        var retryAfter = int.Parse(Assert.Single(limited.ResponseHeaders["Retry-After"]));
        Assert.InRange(retryAfter, 1, 60);
    }

    [Fact]
    public async Task A_field_error_is_a_400_problem_naming_the_field()
    {
        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() =>
            Client().Api.V1.Contact.Submit.PostAsync(new SubmitRequest { Name = "Sam", Email = "not an address", Subject = "Hi", Message = "Hello" }));

        Assert.Equal(400, invalid.ResponseStatusCode);
        Assert.Contains("email", invalid.Errors!.AdditionalData.Keys);
    }

    private async Task<ContactDeskClient> StaffClientAsync()
    {
        var moderator = await app.CreateUserAsync("moderator");
        return Client(await app.LoginAsync(moderator.Email, moderator.Password));
    }

    /// <summary>
    /// A client as an integrator builds one: Kiota's default handlers over a connection from a loopback
    /// address of its own (the app sees a client of its own, for the rate limit), signed in when given a token.
    /// </summary>
    private ContactDeskClient Client(string? token = null) => Connect(token).Client;

    /// <summary><see cref="Client"/> with its request adapter, for a request the generated builders do not make (a multipart body).</summary>
    private (ContactDeskClient Client, IRequestAdapter Adapter) Connect(string? token)
    {
        var http = KiotaClientFactory.Create(app.CreateHandlerFrom(RealServer.NewClientAddress()));
        IAuthenticationProvider auth = token is null
            ? new AnonymousAuthenticationProvider()
            : new BaseBearerTokenAuthenticationProvider(new StaticToken(token));
        var adapter = new HttpClientRequestAdapter(auth, httpClient: http) { BaseUrl = app.ServerAddress().ToString().TrimEnd('/') };
        return (new ContactDeskClient(adapter), adapter);
    }

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? context = null, CancellationToken ct = default) =>
            Task.FromResult(token);
    }
}

public sealed class GeneratedClientTestsOnSqlite(SqliteIntegratorApp app) : GeneratedClientTests(app), IClassFixture<SqliteIntegratorApp>;

public sealed class GeneratedClientTestsOnPostgres(PostgresIntegratorApp app) : GeneratedClientTests(app), IClassFixture<PostgresIntegratorApp>;
