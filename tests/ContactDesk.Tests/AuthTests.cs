using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactDesk.Tests;

/// <summary>Contract §3, <c>/api/v1/auth</c>. The app signs with a key the test knows, so it can forge near-valid tokens.</summary>
public abstract class AuthTests(ContactDeskApp app)
{
    public static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(64);

    private const string Issuer = "contactdesk", Audience = "contactdesk-api";

    [Fact]
    public async Task Register_returns_201_and_a_user_with_the_role_user_who_can_log_in()
    {
        var email = NewEmail();
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { name = "Alan Turing", email, password = "Enigma-1912" });

        var user = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.True(Guid.TryParse((string?)user["id"], out _), user.ToJsonString());
        Assert.Equal(email, (string?)user["email"]);
        Assert.Equal("Alan Turing", (string?)user["name"]);
        Assert.Equal(["user"], Roles(user));

        var me = await MeAsync(await app.LoginAsync(email, "Enigma-1912"));
        Assert.Equal((string?)user["id"], (string?)(await ResponseAssert.JsonAsync(me, HttpStatusCode.OK))["id"]);
    }

    [Fact]
    public async Task Register_with_a_taken_email_is_a_409_problem()
    {
        var email = NewEmail();
        var client = app.CreateClient();
        await ResponseAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/auth/register", new { name = "First", email, password = "Enigma-1912" }), HttpStatusCode.Created);

        await ResponseAssert.ProblemAsync(
            await client.PostAsJsonAsync("/api/v1/auth/register", new { name = "Second", email, password = "Other-pass-42" }), HttpStatusCode.Conflict);
        await ResponseAssert.ProblemAsync(
            await client.PostAsJsonAsync("/api/v1/auth/register", new { name = "Third", email = email.ToUpperInvariant(), password = "Other-pass-42" }), HttpStatusCode.Conflict);
        Assert.Equal(1, await app.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Fact]
    public async Task Concurrent_registrations_with_one_email_make_one_account_and_409s()
    {
        var email = NewEmail();
        var clients = Enumerable.Range(0, 3).Select(_ => app.CreateClient()).ToArray();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            clients[i % clients.Length].PostAsJsonAsync("/api/v1/auth/register", new { name = $"Racer {i}", email, password = "Enigma-1912" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await ResponseAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        }
        Assert.Equal(1, await app.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("alllowercaseletters")]
    [InlineData("")]
    public async Task Register_with_a_weak_password_is_a_400_with_errors_password_and_creates_nobody(string password)
    {
        var email = NewEmail();
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { name = "Weak", email, password });
        await ResponseAssert.ValidationProblemAsync(response, "password");
        Assert.Equal(0, await app.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@example.com three@example.com")]
    [InlineData("")]
    public async Task Register_with_an_invalid_email_is_a_400_with_errors_email(string email)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { name = "Nobody", email, password = "Enigma-1912" });
        await ResponseAssert.ValidationProblemAsync(response, "email");
    }

    [Fact]
    public async Task Login_returns_a_bearer_token_that_expires()
    {
        var user = await app.CreateUserAsync("user");
        var response = await LoginAsync(user.Email, user.Password);

        var body = await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["access_token"]));
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.True(body["expires_in"]?.GetValue<int>() > 0, body.ToJsonString());
        await ResponseAssert.JsonAsync(await MeAsync((string)body["access_token"]!), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_is_a_401_problem()
    {
        var user = await app.CreateUserAsync("user");
        await ResponseAssert.ProblemAsync(await LoginAsync(user.Email, "Wrong-pass-1"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_with_an_unknown_email_is_a_401_problem()
    {
        await ResponseAssert.ProblemAsync(await LoginAsync(NewEmail(), "Enigma-1912"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task After_five_wrong_passwords_even_the_right_one_is_refused()
    {
        var user = await app.CreateUserAsync("user");
        for (var i = 0; i < 5; i++)
        {
            var wrong = await LoginAsync(user.Email, $"Wrong-pass-{i}");
            Assert.Contains(wrong.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        }

        var response = await LoginAsync(user.Email, user.Password);
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        await ResponseAssert.ProblemAsync(response, response.StatusCode);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var retryAfter = response.Headers.RetryAfter;
            Assert.True(retryAfter?.Delta > TimeSpan.Zero || retryAfter?.Date > DateTimeOffset.UtcNow, $"Retry-After: {retryAfter}");
        }
    }

    [Fact]
    public async Task Twenty_wrong_passwords_at_once_lock_the_account_and_none_gets_in()
    {
        var user = await app.CreateUserAsync("moderator");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => LoginAsync(user.Email, $"Wrong-pass-{i}")));

        Assert.All(attempts, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        var right = await LoginAsync(user.Email, user.Password);
        await ResponseAssert.ProblemAsync(right, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task An_account_locked_through_the_API_is_locked_on_the_admin_sign_in_page_too()
    {
        var moderator = await app.CreateUserAsync("moderator");
        for (var i = 0; i < 5; i++)
        {
            await LoginAsync(moderator.Email, $"Wrong-pass-{i}");
        }

        var page = await SignInOnPageAsync(moderator.Email, moderator.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("locked", await page.Content.ReadAsStringAsync());
        Assert.DoesNotContain(page.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("contactdesk.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_admin_sign_in_page_answers_a_wrong_password_alike_whether_or_not_the_account_exists_or_may_enter()
    {
        var plain = await app.CreateUserAsync("user");
        var moderator = await app.CreateUserAsync("moderator");

        var answers = new[]
        {
            await SignInOnPageAsync(NewEmail(), "Wrong-pass-1"),
            await SignInOnPageAsync(plain.Email, "Wrong-pass-1"),
            await SignInOnPageAsync(moderator.Email, "Wrong-pass-1"),
        };

        var alerts = await Task.WhenAll(answers.Select(async a => (a.StatusCode, Alert(await a.Content.ReadAsStringAsync()))));
        Assert.All(alerts, a => Assert.Equal((HttpStatusCode.Unauthorized, "Wrong email or password."), a));
        // Only the right password of a plain account hears that it has no access (and still gets no cookie).
        var right = await SignInOnPageAsync(plain.Email, plain.Password);
        Assert.Equal("This account has no access to the admin pages.", Alert(await right.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(right.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("contactdesk.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signed_in_over_HTTPS_the_cookies_are_Secure_HttpOnly_and_SameSite()
    {
        var admin = await app.CreateUserAsync("admin");
        using var https = await app.PageClientAsync(null, https: true);
        var signIn = await PageSession.SignInOnPageAsync(https, https, admin.Email, admin.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("contactdesk.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        var antiforgery = (await https.GetAsync("/admin/login")).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("contactdesk.csrf=", StringComparison.Ordinal)).ToLowerInvariant();
        foreach (var cookie in new[] { auth, antiforgery })
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries);
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains(attributes, a => a is "samesite=lax" or "samesite=strict");
        }
    }

    [Fact]
    public async Task A_sign_in_cookie_and_an_antiforgery_token_from_one_instance_work_on_another_on_the_same_database()
    {
        var database = DatabaseProbe.NewDatabase(app.Provider);
        await using var first = new AppOnDatabase(app.Provider, database.ConnectionString);
        await using var second = new AppOnDatabase(app.Provider, database.ConnectionString);
        var admin = await first.CreateUserAsync("admin");
        using var toFirst = await first.PageClientAsync(null);
        using var toSecond = await second.PageClientAsync(null);

        // The sign-in form comes from one instance and is posted to the other, as behind a load balancer.
        var signIn = await PageSession.SignInOnPageAsync(toFirst, toSecond, admin.Email, admin.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("contactdesk.auth=", StringComparison.Ordinal)).Split(';')[0];

        var queue = new HttpRequestMessage(HttpMethod.Get, "/admin");
        queue.Headers.Add("Cookie", auth);
        Assert.Equal(HttpStatusCode.OK, (await toFirst.SendAsync(queue)).StatusCode);
        // The key ring is in the database, not in a folder of one machine.
        Assert.True(await database.QueryAsync(db => db.DataProtectionKeys.CountAsync()) >= 1);
    }

    /// <summary>Posts the /admin/login form (with its antiforgery token) as a browser would.</summary>
    private async Task<HttpResponseMessage> SignInOnPageAsync(string email, string password)
    {
        using var client = await app.PageClientAsync(null);
        return await PageSession.SignInOnPageAsync(client, client, email, password);
    }

    private static string Alert(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "role=\"alert\"[^>]*>([^<]*)<").Groups[1].Value.Trim());

    [Fact]
    public async Task Me_returns_the_signed_in_user()
    {
        var moderator = await app.CreateUserAsync("moderator", name: "Margaret Hamilton");
        var me = await ResponseAssert.JsonAsync(await moderator.Client.GetAsync("/api/v1/auth/me"), HttpStatusCode.OK);

        Assert.Equal(moderator.Id.ToString(), (string?)me["id"]);
        Assert.Equal(moderator.Email, (string?)me["email"]);
        Assert.Equal("Margaret Hamilton", (string?)me["name"]);
        Assert.Equal(["moderator"], Roles(me));
    }

    [Fact]
    public async Task Me_without_a_token_is_a_401_problem()
    {
        await ResponseAssert.ProblemAsync(await app.CreateClient().GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_with_a_garbage_token_is_a_401_problem()
    {
        await ResponseAssert.ProblemAsync(await MeAsync("not-a-token"), HttpStatusCode.Unauthorized);
        await ResponseAssert.ProblemAsync(await MeAsync("a.b.c"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_with_a_tampered_signature_is_a_401_problem()
    {
        var user = await app.CreateUserAsync("user");
        var token = await app.LoginAsync(user.Email, user.Password);
        var parts = token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[0] = signature[0] == 'A' ? 'B' : 'A'; // the first character carries six full bits
        var tampered = $"{parts[0]}.{parts[1]}.{new string(signature)}";

        await ResponseAssert.ProblemAsync(await MeAsync(tampered), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_with_a_tampered_payload_is_a_401_problem()
    {
        var user = await app.CreateUserAsync("user");
        var admin = await app.CreateUserAsync("admin");
        var parts = (await app.LoginAsync(user.Email, user.Password)).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["sub"] = admin.Id.ToString();
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";

        await ResponseAssert.ProblemAsync(await MeAsync(tampered), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_forged_here_with_the_apps_key_is_accepted_so_the_forgeries_below_are_meaningful()
    {
        var user = await app.CreateUserAsync("user");
        var me = await ResponseAssert.JsonAsync(await MeAsync(Forge(user.Id, SigningKey)), HttpStatusCode.OK);
        Assert.Equal(user.Id.ToString(), (string?)me["id"]);
    }

    [Fact]
    public async Task Me_with_a_token_signed_by_another_key_is_a_401_problem()
    {
        var user = await app.CreateUserAsync("user");
        await ResponseAssert.ProblemAsync(await MeAsync(Forge(user.Id, RandomNumberGenerator.GetBytes(64))), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_with_an_expired_token_is_a_401_problem()
    {
        var user = await app.CreateUserAsync("user");
        var expired = Forge(user.Id, SigningKey, expires: DateTime.UtcNow.AddMinutes(-10));
        await ResponseAssert.ProblemAsync(await MeAsync(expired), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_with_a_token_for_another_issuer_or_audience_is_a_401_problem()
    {
        var user = await app.CreateUserAsync("user");
        await ResponseAssert.ProblemAsync(await MeAsync(Forge(user.Id, SigningKey, issuer: "someone-else")), HttpStatusCode.Unauthorized);
        await ResponseAssert.ProblemAsync(await MeAsync(Forge(user.Id, SigningKey, audience: "another-api")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_with_an_unsigned_alg_none_token_is_a_401_problem()
    {
        var user = await app.CreateUserAsync("user");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(new JsonObject
        {
            ["sub"] = user.Id.ToString(), ["name"] = user.Name, ["role"] = "admin",
            ["iss"] = Issuer, ["aud"] = Audience, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
        }.ToJsonString());

        await ResponseAssert.ProblemAsync(await MeAsync($"{header}.{payload}."), HttpStatusCode.Unauthorized);
    }

    /// <summary>A token shaped like the app's own, signed HS256 with <paramref name="key"/>.</summary>
    private static string Forge(Guid userId, byte[] key, DateTime? expires = null, string issuer = Issuer, string audience = Audience)
    {
        var until = expires ?? DateTime.UtcNow.AddMinutes(30);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("name", "Forged"), new Claim("role", "user")]),
            IssuedAt = until.AddMinutes(-60),
            NotBefore = until.AddMinutes(-60),
            Expires = until,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    private Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password });

    private Task<HttpResponseMessage> MeAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return app.CreateClient().SendAsync(request);
    }

    private static string[] Roles(JsonObject user) =>
        [.. (user["roles"] as JsonArray ?? []).Select(r => (string)r!)];

    private static string NewEmail() => $"auth-{Guid.NewGuid():N}@example.com";
}

public sealed class AuthTestsOnSqlite(AuthTestsOnSqlite.App app) : AuthTests(app), IClassFixture<AuthTestsOnSqlite.App>
{
    public sealed class App : SqliteApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            [.. base.Settings(), new("Auth:SigningKey", Convert.ToBase64String(SigningKey))];
    }
}

public sealed class AuthTestsOnPostgres(AuthTestsOnPostgres.App app) : AuthTests(app), IClassFixture<AuthTestsOnPostgres.App>
{
    public sealed class App : PostgresApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            [.. base.Settings(), new("Auth:SigningKey", Convert.ToBase64String(SigningKey))];
    }
}
