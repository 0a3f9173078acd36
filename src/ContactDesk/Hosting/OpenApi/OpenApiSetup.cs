using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, made for integrators who generate a client from
/// it. Everything that can be said from an endpoint's metadata (security, error responses, headers,
/// schema details) is added here, centrally, so that a new endpoint is described the day it is mapped.
/// </summary>
public static class OpenApiSetup
{
    /// <summary>One line per tag (<c>WithTags</c>); a tag missing here fails the lint (tag-description).</summary>
    public static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>
    {
        ["Auth"] = "Accounts and bearer tokens: sign in, register, who am I.",
        ["Submissions"] = "The public contact form: anyone may submit, with an optional Idempotency-Key.",
        ["Moderation"] = "The ticket queue for moderators and admins: filter, claim, change, resolve, archive, bulk actions, CSV, statistics.",
        ["Audit"] = "Every change to a ticket, kept after the ticket is deleted.",
        ["Email outbox"] = "Admins: emails by delivery state, and re-sending the ones that failed.",
        ["Conversation"] = "A ticket's thread: replies to the submitter (emailed) and internal notes, with files (JSON or multipart/form-data).",
        ["Attachments"] = "The files of a thread's messages for staff, always served as downloads.",
        ["Portal"] = "The submitter's side: a ticket's secret link (the token) to read its public thread, reply with files, resolve or reopen; a signed-in account's own tickets.",
        ["Email in"] = "Emails into tickets: the raw message an MTA or provider hands over (its own bearer secret), and for admins the raw email a message was made from.",
        ["Webhooks"] = "Admins: URLs told of ticket and message events (signed POSTs, retried with backoff, paused after repeated failure), and their delivery logs with redelivery.",
        ["Knowledge base"] = "Help articles: reading and search for everyone, suggestions while a contact form is filled in, writing and history for moderators.",
        ["SLA"] = "Admins: the service-level policy (time zone, business hours, holidays, first-response and resolution targets per priority, warning margin) that gives every open ticket its deadlines.",
        ["Privacy"] = "Admins: data-protection requests for an email address: everything kept about it as a ZIP, and its erasure (tickets stay as skeletons).",
        ["Tags"] = "Ticket tags: autocomplete with ticket counts for moderators, rename (merging into an existing tag) for admins.",
        ["Canned responses"] = "Replies kept for reuse: Liquid bodies with the ticket's variables, shared (admins change them) or personal; rendered for a ticket or posted with a message.",
    };

    public static IServiceCollection AddContactDeskOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<DocumentInfo>();
            options.AddBearerSecurity();
            options.AddProblemResponses();
            options.AddSchemaDetails();
            options.AddDocumentTransformer((document, _, ct) => DropUnusedSchemasAsync(document, ct));
        });
        return services;
    }

    /// <summary>
    /// Schemas no operation refers to any more, such as the "any JSON" of a body that an operation
    /// shows as its declared type, would only clutter a generated client.
    /// </summary>
    private static async Task DropUnusedSchemasAsync(OpenApiDocument document, CancellationToken ct)
    {
        while (document.Components?.Schemas is { Count: > 0 } schemas)
        {
            var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, ct);
            var unused = schemas.Keys.Where(name => !json.Contains($"\"#/components/schemas/{name}\"", StringComparison.Ordinal)).ToList();
            if (unused.Count == 0)
            {
                return;
            }
            unused.ForEach(name => schemas.Remove(name));
        }
    }

    /// <summary>Title, licence, contact, server and tags: the parts of the document no endpoint knows.</summary>
    private sealed class DocumentInfo(IOptions<ContactDeskOptions> contactDesk) : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
        {
            var baseUrl = contactDesk.Value.PublicBaseUrl.TrimEnd('/');
            document.Info = new OpenApiInfo
            {
                Title = "ContactDesk API",
                Version = "v1",
                Description = "Contact form submissions and ticket moderation. JSON properties are snake_case, enum values "
                    + "lowercase strings, ids UUIDs, timestamps ISO-8601 UTC. Every error is an RFC 9457 problem "
                    + "(application/problem+json). Sign in with POST /api/v1/auth/login and send "
                    + "'Authorization: Bearer <access_token>'.",
                Contact = new OpenApiContact { Name = "ContactDesk support", Url = new Uri($"{baseUrl}/contact") },
                // The repository has no licence file: all rights are reserved until one is chosen.
                License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
            };
            // Relative: the API is where this document was read from, whatever the host name (behind
            // a proxy, in a test), so the document is the same everywhere.
            document.Servers = [new OpenApiServer { Url = "/", Description = "This ContactDesk instance" }];

            var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
                .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).Distinct().Order();
            document.Tags = new HashSet<OpenApiTag>(used.Select(name => new OpenApiTag
            {
                Name = name,
                Description = name is not null && TagDescriptions.TryGetValue(name, out var description) ? description : null,
            }));
            return Task.CompletedTask;
        }
    }
}
