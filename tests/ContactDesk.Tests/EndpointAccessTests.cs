using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// Who may call what, generated from the app's own endpoint list (EndpointDataSource), so that a new
/// endpoint or admin page is in the matrix the day it is added: every endpoint must declare its
/// access, and anonymous, user, moderator and admin each get exactly what that declaration says.
/// The app signs tokens with a key the test knows (AuthTests' fixture), so forged tokens are near misses.
/// </summary>
public abstract class EndpointAccessTests(ContactDeskApp app, ITestOutputHelper output)
{
    public static readonly string[] Callers = ["anonymous", "user", "moderator", "admin"];

    /// <summary>Who an endpoint lets in, read from its metadata.</summary>
    /// <param name="Roles">Null: anyone (AllowAnonymous); empty: any signed-in caller; else one of these roles.</param>
    /// <param name="Cookie">Signed in with the admin pages' cookie rather than a bearer token.</param>
    private sealed record Access(IReadOnlySet<string>? Roles, bool Cookie);

    /// <summary>One request the matrix makes: an endpoint, a method, a concrete path.</summary>
    private sealed record Target(RouteEndpoint Endpoint, string Method, string Path, Access Access)
    {
        public override string ToString() => $"{Method} {Path} ({Endpoint.DisplayName})";
    }

    [Fact]
    public void Every_endpoint_declares_who_may_call_it()
    {
        var undeclared = Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any())
            .Select(e => $"{e.RoutePattern.RawText} ({e.DisplayName})").ToList();
        Assert.True(undeclared.Count == 0, "Endpoints without AllowAnonymous or an authorization policy:\n" + string.Join("\n", undeclared));
    }

    [Fact]
    public async Task Each_caller_gets_exactly_what_each_endpoint_and_page_declares()
    {
        var (targets, clients) = await SetUpAsync();
        var failures = new List<string>();
        var requests = 0;
        foreach (var target in targets)
        {
            foreach (var caller in Callers)
            {
                // Headers only: /admin/events is an event stream that does not end.
                var response = await clients[caller].SendAsync(Request(target), HttpCompletionOption.ResponseHeadersRead);
                requests++;
                var failure = await CheckAsync(target, caller, response);
                if (failure is not null)
                {
                    failures.Add($"{caller} → {target}: {failure}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} answers were wrong:\n{string.Join("\n", failures.Take(40))}");
        output.WriteLine($"{Endpoints().Count} endpoints ({targets.Select(t => t.Endpoint).Distinct().Count(e => IsPage(e))} pages), " +
            $"{targets.Count} method/handler targets x {Callers.Length} callers = {requests} requests");
    }

    [Fact]
    public async Task The_API_takes_no_cookie_so_a_signed_in_browser_cannot_be_made_to_call_it()
    {
        var admin = await app.CreateUserAsync("admin");
        using var browser = await app.PageClientAsync(admin);
        var (targets, _) = await SetUpAsync();
        var failures = new List<string>();
        foreach (var target in targets.Where(t => t.Access is { Roles: not null, Cookie: false }))
        {
            var response = await browser.SendAsync(Request(target), HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{target}: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, "The admin's cookie was taken by:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Forged_expired_and_misaddressed_tokens_are_401_on_every_protected_endpoint()
    {
        var admin = await app.CreateUserAsync("admin");
        var (targets, _) = await SetUpAsync();
        var protectedTargets = targets.Where(t => t.Access is { Roles: not null, Cookie: false }).ToList();
        var tokens = BadTokens(admin).ToList();
        var failures = new List<string>();
        foreach (var target in protectedTargets)
        {
            foreach (var (name, token) in tokens)
            {
                var request = Request(target);
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
                var response = await app.CreateClient().SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{name} → {target}: {(int)response.StatusCode}");
                }
            }
        }
        // And the genuine article works, so the forgeries above were refused for what they got wrong.
        var genuine = app.CreateClient();
        genuine.DefaultRequestHeaders.Authorization = new("Bearer", Forge(admin.Id, "admin", AuthTests.SigningKey));
        Assert.Equal(HttpStatusCode.OK, (await genuine.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        output.WriteLine($"{tokens.Count} kinds of bad token x {protectedTargets.Count} protected endpoints = {tokens.Count * protectedTargets.Count} requests, all 401");
    }

    [Fact]
    public async Task Every_admin_form_handler_refuses_a_post_without_the_antiforgery_token_and_changes_nothing()
    {
        var admin = await app.CreateUserAsync("admin");
        using var page = await app.PageClientAsync(admin);
        var (targets, _) = await SetUpAsync();
        var before = await FingerprintAsync();
        var handlers = targets.Where(t => IsPage(t.Endpoint) && t.Method == "POST").ToList();
        var failures = new List<string>();
        foreach (var target in handlers)
        {
            var request = Request(target);
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["confirm"] = "true", ["action"] = "archive", ["NewName"] = "Eve", ["NewEmail"] = "eve@example.com", ["newPassword"] = "Evil-horse-666",
                ["NewRole"] = "admin", ["role"] = "admin", ["status"] = "resolved", ["Form.Name"] = "Eve", ["Form.Email"] = "eve@example.com",
                ["Form.Subject"] = "CSRF", ["Form.Message"] = "CSRF", ["Email"] = "eve@example.com", ["Password"] = "Evil-horse-666",
            });
            var response = await page.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{target}: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, "Accepted without the antiforgery token:\n" + string.Join("\n", failures));
        Assert.Equal(before, await FingerprintAsync());
        Assert.True(handlers.Count >= 10, $"only {handlers.Count} form handlers found");
        output.WriteLine($"{handlers.Count} form handlers on {handlers.Select(h => h.Endpoint).Distinct().Count()} pages refused a post without the token");
    }

    [Fact]
    public async Task Every_page_and_API_answer_carries_the_security_headers()
    {
        var admin = await app.CreateUserAsync("admin");
        var (targets, clients) = await SetUpAsync();
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var target in targets.Where(t => t.Method == "GET" && !t.Path.StartsWith("/docs", StringComparison.Ordinal)))
        {
            var response = await clients["admin"].SendAsync(Request(target), HttpCompletionOption.ResponseHeadersRead);
            checkedCount++;
            var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            string? Header(string name) => headers.TryGetValue(name, out var value) ? value : null;
            var csp = Header("Content-Security-Policy") ?? "";
            var scripts = Directive(csp, "script-src") ?? Directive(csp, "default-src") ?? "";
            var problems = new List<string>();
            if (scripts.Length == 0 || scripts.Contains("'unsafe-inline'") || scripts.Contains("'unsafe-eval'") || scripts.Contains('*'))
            {
                problems.Add($"script-src '{scripts}'");
            }
            if (Directive(csp, "frame-ancestors") is null && Header("X-Frame-Options") is null)
            {
                problems.Add("no frame-ancestors or X-Frame-Options");
            }
            if (Header("X-Content-Type-Options") != "nosniff")
            {
                problems.Add("no X-Content-Type-Options: nosniff");
            }
            if (Header("Referrer-Policy") is not ("same-origin" or "no-referrer" or "strict-origin-when-cross-origin" or "strict-origin"))
            {
                problems.Add($"Referrer-Policy '{Header("Referrer-Policy")}'");
            }
            if (problems.Count > 0)
            {
                failures.Add($"{target} ({(int)response.StatusCode}): {string.Join("; ", problems)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        output.WriteLine($"{checkedCount} GET answers (pages and API) carry CSP without inline script, framing rules, nosniff and Referrer-Policy");
    }

    [Fact]
    public async Task A_signed_in_plain_user_can_neither_read_nor_change_a_ticket_that_is_not_theirs()
    {
        var owner = await app.CreateUserAsync("user");
        var other = await app.CreateUserAsync("user");
        var moderator = await app.CreateUserAsync("moderator");
        var owned = await (await owner.Client.PostAsync($"{Contact}/submit", JsonContent(new { subject = "Mine", message = "Only mine" }))).ReadObjectAsync();
        Assert.Equal(owner.Id.ToString(), (string?)owned["user_id"]);
        var anonymous = await app.SubmitAsync("Someone else's");
        var (targets, _) = await SetUpAsync();
        using var otherPages = await app.PageClientAsync(other);
        var before = await FingerprintAsync();
        var snapshots = await Task.WhenAll(new[] { owned, anonymous }.Select(t => moderator.Client.GetStringAsync($"{Contact}/{t.IdOf()}")));

        var failures = new List<string>();
        var requests = 0;
        foreach (var ticket in new[] { owned, anonymous })
        {
            foreach (var target in targets.Where(t => t.Access.Roles is { } roles && !roles.Contains("user")))
            {
                var path = target.Path.Replace(TargetId.ToString(), ticket.IdOf().ToString()).Replace(TargetNumber, (string)ticket["ticket_number"]!);
                var request = Request(target with { Path = path });
                var response = await (target.Access.Cookie ? otherPages : other.Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                requests++;
                var refused = response.StatusCode == HttpStatusCode.Forbidden
                    || target.Access.Cookie && response.StatusCode == HttpStatusCode.Redirect && Location(response).StartsWith("/admin/denied", StringComparison.Ordinal);
                if (!refused)
                {
                    failures.Add($"{target.Method} {path}: {(int)response.StatusCode}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.Equal(before, await FingerprintAsync());
        Assert.Equal(snapshots, await Task.WhenAll(new[] { owned, anonymous }.Select(t => moderator.Client.GetStringAsync($"{Contact}/{t.IdOf()}"))));
        output.WriteLine($"A plain user: {requests} requests for two tickets not theirs, every one refused; nothing changed");
    }

    [Fact]
    public async Task Repeating_an_Idempotency_Key_gives_back_the_ticket_but_not_its_internal_notes_or_who_works_on_it()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var key = Guid.NewGuid().ToString();
        var form = new { name = "Sam", email = "sam@example.com", subject = "Replayed later", message = "Hello" };
        var first = await SubmitWithKeyAsync(key, form);
        await moderator.Client.ActOkAsync(first.IdOf(), "assign-to-me");
        await (await moderator.Client.PatchJsonAsync(first.IdOf(), new { admin_notes = "Internal: customer is difficult" })).AssertStatusAsync(HttpStatusCode.OK);

        var again = await SubmitWithKeyAsync(key, form);

        Assert.Equal(first.IdOf(), again.IdOf());
        Assert.Equal((string?)first["ticket_number"], (string?)again["ticket_number"]);
        Assert.Null(again["admin_notes"]);
        Assert.Null(again["assigned_to"]);
        // A signed-in user repeating someone else's key learns nothing either: another request, 409.
        var user = await app.CreateUserAsync("user");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Contact}/submit") { Content = JsonContent(form) };
        request.Headers.Add("Idempotency-Key", key);
        await (await user.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    private async Task<JsonObject> SubmitWithKeyAsync(string key, object form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Contact}/submit") { Content = JsonContent(form) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await app.CreateClient().SendAsync(request);
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return await response.ReadObjectAsync();
    }

    // ---- the matrix's parts --------------------------------------------------------------------

    private Guid TargetId { get; set; }

    private string TargetNumber { get; set; } = "";

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().OrderBy(e => e.RoutePattern.RawText)];

    private static bool IsPage(Endpoint endpoint) => endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null;

    /// <summary>Every endpoint as concrete requests: each HTTP method, each page handler, path parameters filled with a real ticket.</summary>
    private async Task<(List<Target> Targets, Dictionary<string, HttpClient> Clients)> SetUpAsync()
    {
        var ticket = await app.SubmitAsync("The matrix's ticket");
        TargetId = ticket.IdOf();
        TargetNumber = (string)ticket["ticket_number"]!;
        var loader = app.Services.GetRequiredService<PageLoader>();
        var targets = new List<Target>();
        foreach (var endpoint in Endpoints())
        {
            var access = AccessOf(endpoint);
            var path = Fill(endpoint.RoutePattern);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                foreach (var handler in compiled.HandlerMethods)
                {
                    var query = handler.Name is null ? "" : $"?handler={handler.Name}";
                    targets.Add(new(endpoint, handler.HttpMethod.ToUpperInvariant(), path + query, access));
                }
                continue;
            }
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                targets.Add(new(endpoint, method, path, access));
            }
        }

        var clients = new Dictionary<string, HttpClient> { ["anonymous"] = await app.PageClientAsync(null) };
        foreach (var role in Callers.Skip(1))
        {
            var user = await app.CreateUserAsync(role);
            var client = await app.PageClientAsync(user); // the cookie, for the pages
            client.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization; // the token, for the API
            clients[role] = client;
        }
        return (targets, clients);
    }

    private string Fill(RoutePattern pattern) => "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart { Name: "ticketNumber" } => TargetNumber,
        RoutePatternParameterPart { Name: "id" } => TargetId.ToString(),
        RoutePatternParameterPart { Name: "documentName" } => "v1",
        // Another id (a message's, under its ticket): one that exists nowhere, so the route still matches.
        RoutePatternParameterPart { ParameterPolicies: var policies } when policies.Any(p => p.Content == "guid") => Guid.NewGuid().ToString(),
        RoutePatternParameterPart => "x",
        _ => "",
    }))));

    /// <summary>The access an endpoint declares; a policy this test does not know fails it, so the matrix is kept up to date.</summary>
    private static Access AccessOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return new(null, false);
        }
        IReadOnlySet<string> roles = new HashSet<string>(Callers.Skip(1));
        var cookie = IsPage(endpoint);
        foreach (var rule in endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            var (allowed, byCookie) = rule.Policy switch
            {
                null when rule.Roles is null => (new HashSet<string>(Callers.Skip(1)), false),
                Roles.ModeratorPolicy => (new HashSet<string> { "moderator", "admin" }, false),
                Roles.AdminPolicy => (new HashSet<string> { "admin" }, false),
                Roles.ModeratorPagesPolicy => (new HashSet<string> { "moderator", "admin" }, true),
                Roles.AdminPagesPolicy => (new HashSet<string> { "admin" }, true),
                Portal.PortalSetup.AccountPolicy => (new HashSet<string>(Callers.Skip(1)), false),
                Portal.PortalSetup.AccountPagesPolicy => (new HashSet<string>(Callers.Skip(1)), true),
                _ => throw new Xunit.Sdk.XunitException($"{endpoint.DisplayName} uses policy '{rule.Policy}' (roles '{rule.Roles}'), which the access matrix does not know yet: add it."),
            };
            roles = roles.Intersect(allowed).ToHashSet();
            cookie |= byCookie;
        }
        return new(roles, cookie);
    }

    private static HttpRequestMessage Request(Target target)
    {
        var request = new HttpRequestMessage(new HttpMethod(target.Method), target.Path);
        if (target.Method is "POST" or "PATCH" or "PUT" && !IsPage(target.Endpoint))
        {
            request.Content = JsonContent(new { });
        }
        return request;
    }

    private static async Task<string?> CheckAsync(Target target, string caller, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var location = Location(response);
        // A page sends a browser to sign in (or to "no access"); a cookie endpoint that is not a page
        // (/admin/export.csv) answers 401/403 instead, as .NET does for API endpoints.
        // (The account pages, /my, send a visitor to their own sign-in page.)
        var toLogin = status == 302 && (location.StartsWith("/admin/login", StringComparison.Ordinal) || location.StartsWith("/my/login", StringComparison.Ordinal))
            || status == 401 && !IsPage(target.Endpoint) && target.Access.Cookie;
        var toDenied = status == 302 && location.StartsWith("/admin/denied", StringComparison.Ordinal) || status == 403 && !IsPage(target.Endpoint) && target.Access.Cookie;
        var roles = target.Access.Roles;
        if (roles is null)
        {
            return status == 401 || toLogin ? $"{status} {location}: anyone may call this" : null;
        }
        var allowed = caller != "anonymous" && roles.Contains(caller);
        if (allowed)
        {
            return status is 401 or 403 || toLogin || toDenied ? $"{status} {location}, but {caller} is allowed" : null;
        }
        if (target.Access.Cookie)
        {
            var expected = caller == "anonymous" ? toLogin : toDenied;
            return expected ? null : $"{status} {location}, expected a redirect to {(caller == "anonymous" ? "/admin/login" : "/admin/denied")}";
        }
        var want = caller == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        if (response.StatusCode != want)
        {
            return $"{status}, expected {(int)want}";
        }
        return response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? null : "not a problem+json";
    }

    private static string Location(HttpResponseMessage response) => response.Headers.Location is { } location
        ? location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString
        : "";

    private Task<string> FingerprintAsync() => app.QueryAsync(async db => string.Join(", ",
        $"tickets {await db.Tickets.CountAsync()}", $"versions {await db.Tickets.SumAsync(t => t.Version)}",
        $"users {await db.Users.CountAsync()}", $"roles {await db.UserRoles.CountAsync()}", $"audit {await db.AuditEntries.CountAsync()}",
        $"emails {await db.OutboxEmails.CountAsync()}"));

    private static HttpContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body);

    private static string? Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => d.StartsWith(name + " ", StringComparison.Ordinal))?[(name.Length + 1)..];

    /// <summary>Tokens that claim to be <paramref name="admin"/> with the role admin, each wrong in one way.</summary>
    private static IEnumerable<(string Name, string Token)> BadTokens(TestUser admin)
    {
        var key = AuthTests.SigningKey;
        yield return ("expired", Forge(admin.Id, "admin", key, expires: DateTime.UtcNow.AddMinutes(-5)));
        yield return ("not valid yet", Forge(admin.Id, "admin", key, notBefore: DateTime.UtcNow.AddMinutes(10)));
        yield return ("signed with another key", Forge(admin.Id, "admin", RandomNumberGenerator.GetBytes(64)));
        yield return ("wrong audience", Forge(admin.Id, "admin", key, audience: "another-api"));
        yield return ("wrong issuer", Forge(admin.Id, "admin", key, issuer: "someone-else"));
        yield return ("HS512 with the app's key", Forge(admin.Id, "admin", key, algorithm: SecurityAlgorithms.HmacSha512));
        yield return ("no expiry", Forge(admin.Id, "admin", key, withExpiry: false));
        var user = Forge(admin.Id, "user", key).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(user[1]))!.AsObject();
        payload["role"] = "admin";
        yield return ("payload changed from user to admin", $"{user[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{user[2]}");
        var signature = user[2].ToCharArray();
        signature[0] = signature[0] == 'A' ? 'B' : 'A';
        yield return ("signature changed", $"{user[0]}.{user[1]}.{new string(signature)}");
        yield return ("alg none", $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.");
        yield return ("alg none, no dot", $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(payload.ToJsonString())}");
        yield return ("empty", "");
    }

    private static string Forge(Guid userId, string role, byte[] key, DateTime? expires = null, DateTime? notBefore = null,
        string issuer = AuthOptions.Issuer, string audience = AuthOptions.Audience, string algorithm = SecurityAlgorithms.HmacSha256, bool withExpiry = true)
    {
        var until = expires ?? DateTime.UtcNow.AddMinutes(30);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("name", "Forged"), new Claim("role", role)]),
            IssuedAt = until.AddMinutes(-60),
            NotBefore = notBefore ?? until.AddMinutes(-60),
            Expires = withExpiry ? until : null,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = withExpiry }.CreateToken(descriptor);
    }
}

public sealed class EndpointAccessTestsOnSqlite(AuthTestsOnSqlite.App app, ITestOutputHelper output)
    : EndpointAccessTests(app, output), IClassFixture<AuthTestsOnSqlite.App>;

public sealed class EndpointAccessTestsOnPostgres(AuthTestsOnPostgres.App app, ITestOutputHelper output)
    : EndpointAccessTests(app, output), IClassFixture<AuthTestsOnPostgres.App>;
