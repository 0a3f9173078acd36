using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// Contract §9: guessing portal links is limited per client address (<c>RateLimiting:Portal</c>),
/// and a message through the portal also counts against the submit limit. On a real port, each test
/// from loopback addresses of its own.
/// </summary>
public sealed class PortalRateLimitTests(PortalRateLimitTests.App app) : IClassFixture<PortalRateLimitTests.App>
{
    private const int PortalLimit = 5, SubmitLimit = 2;

    [Fact]
    public async Task Token_guesses_beyond_the_limit_are_429_for_that_client_only()
    {
        using var guesser = app.CreateClientFrom(RealServer.NewClientAddress());
        for (var i = 0; i < PortalLimit; i++)
        {
            var path = i % 2 == 0 ? $"/api/v1/portal/{Notifications.Base32.Random(20)}" : $"/t/guess-{i}";
            Assert.Equal(HttpStatusCode.NotFound, (await guesser.GetAsync(path)).StatusCode);
        }

        var refused = await guesser.GetAsync($"/api/v1/portal/{Notifications.Base32.Random(20)}");
        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.StartsWith("Too many requests", (string)problem["detail"]!);
        Assert.InRange(int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After"))), 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync("/t/another-guess")).StatusCode);
        // The rest of the site is not the portal's to limit, and another client is not this one.
        Assert.Equal(HttpStatusCode.OK, (await guesser.GetAsync("/contact")).StatusCode);
        using var other = app.CreateClientFrom(RealServer.NewClientAddress());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/t/guess")).StatusCode);
    }

    [Fact]
    public async Task Messages_through_the_portal_count_against_the_submit_limit()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync(email: $"limited-{Guid.NewGuid():N}@example.com");
        var link = await (await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/portal-link", null)).ReadObjectAsync();
        var token = ((string)link["url"]!).Split("/t/")[1];
        using var submitter = app.CreateClientFrom(RealServer.NewClientAddress());
        for (var i = 0; i < SubmitLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await submitter.PostAsJsonAsync($"/api/v1/portal/{token}/messages", new { body = $"Detail {i}" })).StatusCode);
        }

        await (await submitter.PostAsJsonAsync($"/api/v1/portal/{token}/messages", new { body = "One too many" })).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(1 + SubmitLimit, (await moderator.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/messages"))!.Count);
        Assert.Equal(HttpStatusCode.OK, (await submitter.GetAsync($"/api/v1/portal/{token}")).StatusCode); // reading is not submitting
    }

    [Fact]
    public void A_portal_token_is_blanked_out_of_what_is_logged()
    {
        Assert.Equal("/t/…", Portal.PortalPaths.ForLog("/t/abcdefghijklmnopqrstuvwxyz234567"));
        Assert.Equal("/api/v1/portal/…/attachments/1", Portal.PortalPaths.ForLog("/api/v1/portal/secret/attachments/1"));
        Assert.Equal("/api/v1/contact/submit", Portal.PortalPaths.ForLog("/api/v1/contact/submit"));
        Assert.Equal("/tickets/x", Portal.PortalPaths.ForLog("/tickets/x"));
    }

    public sealed class App : SqliteApp
    {
        public App() => this.ListenOnLoopback();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [
            .. base.Settings(),
            new("RateLimiting:Portal:PermitLimit", PortalLimit.ToString()), new("RateLimiting:Portal:WindowSeconds", "60"),
            new("RateLimiting:Submit:PermitLimit", SubmitLimit.ToString()), new("RateLimiting:Submit:WindowSeconds", "60"),
        ];
    }
}
