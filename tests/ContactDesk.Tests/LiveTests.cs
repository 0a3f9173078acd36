using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Data;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// The live channel of the admin pages over HTTP: the event stream (/admin/events) with its ids and
/// Last-Event-ID, the presence heartbeat, and the reply form's collision check, on both databases.
/// </summary>
public abstract partial class LiveTests(ContactDeskApp app)
{
    [Fact]
    public async Task A_submission_a_claim_a_reply_and_a_resolution_reach_an_open_stream_in_order_with_ids()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator, "Maria Live");
        using var browser = await app.PageClientAsync(moderator);
        await using var stream = await SseStream.OpenAsync(browser);

        var ticket = (await app.SubmitAsync(subject: "Live one")).IdOf();
        var created = await stream.TicketEventAsync(ticket, "created");
        await moderator.Client.ActOkAsync(ticket, "assign-to-me");
        var assigned = await stream.TicketEventAsync(ticket, "assigned");
        await PostMessageAsync(moderator, ticket, "reply", "On its way.");
        var message = await stream.TicketEventAsync(ticket, "message_added");
        await moderator.Client.ActOkAsync(ticket, "mark-resolved");
        var resolved = await stream.TicketEventAsync(ticket, "resolved");

        Assert.Matches("^[A-Z]+-", (string)created.Data!["ticket_number"]!);
        Assert.Equal("Maria Live", (string?)assigned.Data!["actor"]);
        Assert.Equal(moderator.Id.ToString(), (string?)assigned.Data["actor_id"]);
        Assert.Contains("assigned_to_id", assigned.Data["fields"]!.AsArray().Select(f => (string?)f));
        Assert.Equal("reply", (string?)message.Data!["message_kind"]);
        var ids = new[] { created, assigned, message, resolved }.Select(e => long.Parse(e.Id!)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // The ids are the audit trail's, so any instance, and this one after a restart, can resume from them.
        var trail = await app.QueryAsync(db => db.AuditEntries.Where(a => a.TicketId == ticket).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync());
        Assert.Equal(trail, ids);
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_replays_what_happened_meanwhile_and_nothing_before()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        using var browser = await app.PageClientAsync(moderator);
        var ticket = (await app.SubmitAsync(subject: "Missed while away")).IdOf();
        string seen;
        await using (var first = await SseStream.OpenAsync(browser))
        {
            await moderator.Client.ActOkAsync(ticket, "assign-to-me");
            seen = (await first.TicketEventAsync(ticket, "assigned")).Id!;
        }

        // Away: a note and another ticket.
        await PostMessageAsync(moderator, ticket, "note", "Checked the warehouse.");
        var other = (await app.SubmitAsync(subject: "Came in while away")).IdOf();

        await using var again = await SseStream.OpenAsync(browser, lastEventId: seen);
        var note = await again.NextAsync(e => e.Type == "ticket");
        Assert.Equal(ticket.ToString(), (string?)note.Data!["ticket_id"]);
        Assert.Equal("message_added", (string?)note.Data["action"]);
        Assert.Equal("note", (string?)note.Data["message_kind"]);
        Assert.True(long.Parse(note.Id!) > long.Parse(seen));
        var created = await again.NextAsync(e => e.Type == "ticket");
        Assert.Equal(other.ToString(), (string?)created.Data!["ticket_id"]);
        Assert.Equal("created", (string?)created.Data["action"]);

        // ?after= (the id a page was rendered with) does the same when there is no Last-Event-ID yet.
        await using var fromPage = await SseStream.OpenAsync(browser, $"/admin/events?after={seen}");
        Assert.Equal(note.Id, (await fromPage.NextAsync(e => e.Type == "ticket")).Id);
    }

    [Fact]
    public async Task The_stream_is_for_signed_in_staff_only()
    {
        using var anonymous = await app.PageClientAsync(null);
        // Not a redirect to the sign-in page: an EventSource cannot follow one to anything useful.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/events")).StatusCode);

        var user = await app.CreateUserAsync(Roles.User);
        using var plain = await app.PageClientAsync(user);
        var refused = await plain.GetAsync("/admin/events");
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotEqual("text/event-stream", refused.Content.Headers.ContentType?.MediaType);

        // A bearer token is the API's, not the pages' sign-in.
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var bearer = await moderator.Client.GetAsync("/admin/events");
        Assert.NotEqual("text/event-stream", bearer.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Presence_shows_each_moderator_the_other_with_typing_and_is_gone_after_leaving()
    {
        var maria = await app.CreateUserAsync(Roles.Moderator, "Maria Presence");
        var tom = await app.CreateUserAsync(Roles.Moderator, "Tom Presence");
        var ticket = (await app.SubmitAsync()).IdOf();
        using var mariaPage = await app.PageClientAsync(maria);
        await using var stream = await SseStream.OpenAsync(mariaPage);

        Assert.Empty(await BeatAsync(maria, ticket));
        var seenByTom = Assert.Single(await BeatAsync(tom, ticket, typing: true));
        Assert.Equal("Maria Presence", (string?)seenByTom!["name"]);
        Assert.False((bool)seenByTom["typing"]!);
        // Tom's arrival is announced, so Maria's page asks at once rather than at its next beat.
        await stream.NextAsync(e => e.Type == "presence" && (string?)e.Data?["ticket_id"] == ticket.ToString());
        var seenByMaria = Assert.Single(await BeatAsync(maria, ticket));
        Assert.Equal("Tom Presence", (string?)seenByMaria!["name"]);
        Assert.True((bool)seenByMaria["typing"]!);

        await BeatAsync(tom, ticket, leaving: true);
        Assert.Empty(await BeatAsync(maria, ticket));
        Assert.Equal(1, await app.QueryAsync(db => db.Set<Live.TicketPresence>().CountAsync(p => p.TicketId == ticket)));
    }

    [Fact]
    public async Task A_heartbeat_without_the_pages_antiforgery_token_is_refused()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = (await app.SubmitAsync()).IdOf();
        using var page = await app.PageClientAsync(moderator);
        var response = await page.PostAsync($"/admin/contact/{ticket}/presence", new FormUrlEncodedContent(new Dictionary<string, string> { ["typing"] = "true" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.Set<Live.TicketPresence>().CountAsync(p => p.TicketId == ticket)));
    }

    [Fact]
    public async Task A_reply_after_someone_elses_newer_reply_asks_first_keeping_the_text_and_sends_once_confirmed()
    {
        var maria = await app.CreateUserAsync(Roles.Moderator, "Maria Collision");
        var tom = await app.CreateUserAsync(Roles.Moderator, "Tom Collision");
        var ticket = (await app.SubmitAsync(message: "Where is my order?")).IdOf();
        using var tomPage = await app.PageClientAsync(null);
        var auth = await PageSession.AuthCookieAsync(app, tom);
        var form = await ReplyFormAsync(tomPage, auth, ticket);

        await PostMessageAsync(maria, ticket, "reply", "It ships today.");
        var asked = await SendReplyAsync(tomPage, auth, form, ticket, "Tom's own answer <b>kept</b>");

        Assert.Equal(HttpStatusCode.Conflict, asked.StatusCode);
        var html = await asked.Content.ReadAsStringAsync();
        Assert.Matches(@"Maria Collision replied \d+ seconds? ago", html);
        Assert.Contains("Tom&#x27;s own answer &lt;b&gt;kept&lt;/b&gt;</textarea>", html);
        Assert.Contains("name=\"confirm_after_newer\" value=\"true\"", html);
        Assert.Equal(1, await RepliesAsync(ticket));

        // A note is not an answer to the customer: it goes in without asking.
        var note = await SendReplyAsync(tomPage, auth, form, ticket, "Internal: Maria answered.", send: "note");
        Assert.Equal(HttpStatusCode.Redirect, note.StatusCode);

        var confirmed = await SendReplyAsync(tomPage, auth, form, ticket, "Tom's own answer", confirm: true);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(2, await RepliesAsync(ticket));

        // Maria saw Tom's reply (her form is newer): no prompt for her; her own earlier reply never prompts her.
        var mariaForm = await ReplyFormAsync(tomPage, await PageSession.AuthCookieAsync(app, maria), ticket);
        var fresh = await SendReplyAsync(tomPage, await PageSession.AuthCookieAsync(app, maria), mariaForm, ticket, "Follow-up.");
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
    }

    [Fact]
    public async Task A_live_refresh_of_the_page_leaves_the_one_time_notice_for_the_page_the_browser_shows_next()
    {
        var tom = await app.CreateUserAsync(Roles.Moderator, "Tom Notice");
        var ticket = (await app.SubmitAsync(message: "Is it shipped?")).IdOf();
        using var page = await app.PageClientAsync(null);
        var auth = await PageSession.AuthCookieAsync(app, tom);
        var form = await ReplyFormAsync(page, auth, ticket);

        var sent = await SendReplyAsync(page, auth, form, ticket, "It is.");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var notice = sent.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider=", StringComparison.Ordinal)).Split(';')[0];

        // live.js's fetch, racing the browser's redirect: the page without the notice, the cookie untouched.
        var refresh = new HttpRequestMessage(HttpMethod.Get, $"/admin/contact/{ticket}");
        refresh.Headers.Add("Cookie", $"{auth}; {notice}");
        refresh.Headers.Add(Live.LiveRefreshTempData.Header, "refresh");
        var refreshed = await page.SendAsync(refresh);
        await refreshed.AssertStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("Reply sent", await refreshed.Content.ReadAsStringAsync());
        Assert.False(refreshed.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Mvc.CookieTempDataProvider=", StringComparison.Ordinal)));

        var shown = new HttpRequestMessage(HttpMethod.Get, $"/admin/contact/{ticket}");
        shown.Headers.Add("Cookie", $"{auth}; {notice}");
        var html = await (await page.SendAsync(shown)).Content.ReadAsStringAsync();
        Assert.Contains("<p class=\"notice\" role=\"status\">Reply sent", html);
    }

    private Task<int> RepliesAsync(Guid ticket) =>
        app.QueryAsync(db => db.Messages.CountAsync(m => m.TicketId == ticket && m.Kind == Conversation.MessageKind.Reply));

    private static async Task PostMessageAsync(TestUser user, Guid ticket, string kind, string body)
    {
        var response = await user.Client.PostAsJsonAsync($"{Contact}/{ticket}/messages", new { kind, body });
        await response.AssertStatusAsync(HttpStatusCode.Created);
    }

    /// <summary>The ticket page's presence heartbeat, as live.js sends it; the others there.</summary>
    private async Task<JsonArray> BeatAsync(TestUser user, Guid ticket, bool typing = false, bool leaving = false)
    {
        using var page = await app.PageClientAsync(null);
        var auth = await PageSession.AuthCookieAsync(app, user);
        var form = await ReplyFormAsync(page, auth, ticket);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/contact/{ticket}/presence")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = form.Token, ["typing"] = typing ? "true" : "false", ["leaving"] = leaving ? "true" : "false",
            }),
        };
        request.Headers.Add("Cookie", $"{auth}; {form.Csrf}");
        var response = await page.SendAsync(request);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return (await response.ReadObjectAsync())["viewers"]!.AsArray();
    }

    private sealed record ReplyForm(string Token, string Csrf, string LastSeen);

    private static async Task<ReplyForm> ReplyFormAsync(HttpClient page, string auth, Guid ticket)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/contact/{ticket}");
        request.Headers.Add("Cookie", auth);
        var response = await page.SendAsync(request);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        var token = TokenField().Match(html).Groups[1].Value;
        var csrf = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("contactdesk.csrf=", StringComparison.Ordinal)).Split(';')[0];
        var lastSeen = LastSeenField().Match(html);
        Assert.True(lastSeen.Success, "The reply form carries the newest message it was shown with.");
        return new(System.Net.WebUtility.HtmlDecode(token), csrf, lastSeen.Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> SendReplyAsync(HttpClient page, string auth, ReplyForm form, Guid ticket, string body,
        string send = "reply", bool confirm = false)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(form.Token), "__RequestVerificationToken" },
            { new StringContent(send), "send" },
            { new StringContent(body), "body" },
            { new StringContent(form.LastSeen), "last_seen_message_id" },
        };
        if (confirm)
        {
            content.Add(new StringContent("true"), "confirm_after_newer");
        }
        var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/contact/{ticket}?handler=Message") { Content = content };
        request.Headers.Add("Cookie", $"{auth}; {form.Csrf}");
        return await page.SendAsync(request);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"last_seen_message_id\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex LastSeenField();
}

public sealed class LiveTestsOnSqlite(SqliteApp app) : LiveTests(app), IClassFixture<SqliteApp>;

public sealed class LiveTestsOnPostgres(PostgresApp app) : LiveTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// The live channel across processes: a restart (the stream ends at shutdown and resumes from
/// Last-Event-ID with what happened meanwhile) and two instances on one PostgreSQL database.
/// </summary>
[Trait("Category", "reliability")]
[Collection(FaultTests.Name)]
public sealed class LiveInstanceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task After_a_restart_a_reconnect_with_Last_Event_ID_catches_up(DatabaseProvider provider)
    {
        var environment = AppEnvironment.For(DatabaseProbe.NewDatabase(provider));
        var moderator = await AppEnvironment.CreateUserAsync(environment, Roles.Moderator);
        var port = AppProcess.FreePort();
        var app = await AppProcess.StartAsync(environment, port);
        try
        {
            var cookie = await SignInAsync(app, moderator);
            Guid before;
            string lastEventId;
            await using (var stream = await SseStream.OpenAsync(PageClient(app, cookie)))
            {
                before = await SubmitAsync(app, "Before the restart");
                await stream.TicketEventAsync(before, "created");
                lastEventId = stream.LastEventId!;
                await app.StopAsync();
                // Open streams end as the app stops, so they never hold up a restart; the page reconnects.
                Assert.True(await stream.EndedAsync(5), "The stream was still open after the app stopped.");
            }
            app = await AppProcess.StartAsync(environment, port);
            var during = await SubmitAsync(app, "While the page was reconnecting");
            using (var api = await BearerClientAsync(app, moderator))
            {
                await api.ActOkAsync(before, "assign-to-me");
            }

            await using var again = await SseStream.OpenAsync(PageClient(app, cookie), lastEventId: lastEventId);
            var created = await again.NextAsync(e => e.Type == "ticket");
            Assert.Equal((during.ToString(), "created"), ((string?)created.Data!["ticket_id"], (string?)created.Data["action"]));
            var assigned = await again.NextAsync(e => e.Type == "ticket");
            Assert.Equal((before.ToString(), "assigned"), ((string?)assigned.Data!["ticket_id"], (string?)assigned.Data["action"]));
            // And it is live again after the catch-up.
            var after = await SubmitAsync(app, "After the restart");
            await again.TicketEventAsync(after, "created");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_change_through_one_instance_reaches_a_stream_served_by_the_other()
    {
        var environment = AppEnvironment.For(DatabaseProbe.NewDatabase(DatabaseProvider.Postgres));
        var moderator = await AppEnvironment.CreateUserAsync(environment, Roles.Moderator);
        await using var a = await AppProcess.StartAsync(environment);
        await using var b = await AppProcess.StartAsync(environment);
        var cookie = await SignInAsync(b, moderator);
        await using var stream = await SseStream.OpenAsync(PageClient(b, cookie));

        var ticket = await SubmitAsync(a, "Submitted through A");
        await stream.TicketEventAsync(ticket, "created");
        using (var api = await BearerClientAsync(a, moderator))
        {
            await api.ActOkAsync(ticket, "assign-to-me");
            await stream.TicketEventAsync(ticket, "assigned");
            var reply = await api.PostAsJsonAsync($"{Contact}/{ticket}/messages", new { kind = "reply", body = "From A" });
            await reply.AssertStatusAsync(HttpStatusCode.Created);
            var message = await stream.TicketEventAsync(ticket, "message_added");
            Assert.Equal("reply", (string?)message.Data!["message_kind"]);
        }

        // Presence written through A is announced to B's stream.
        var page = PageClient(a, cookie);
        var html = await page.GetAsync($"/admin/contact/{ticket}");
        var token = Regex.Match(await html.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var csrf = html.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("contactdesk.csrf=", StringComparison.Ordinal)).Split(';')[0];
        var beat = new HttpRequestMessage(HttpMethod.Post, $"/admin/contact/{ticket}/presence")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token) }),
        };
        beat.Headers.Add("Cookie", $"{cookie}; {csrf}");
        await (await page.SendAsync(beat)).AssertStatusAsync(HttpStatusCode.OK);
        await stream.NextAsync(e => e.Type == "presence" && (string?)e.Data?["ticket_id"] == ticket.ToString());
    }

    /// <summary>A client that sends <paramref name="cookie"/> itself (no cookie jar) and does not follow redirects.</summary>
    private static HttpClient PageClient(AppProcess app, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.Address };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>Signs in on /admin/login; the sign-in cookie ("contactdesk.auth=...").</summary>
    private static async Task<string> SignInAsync(AppProcess app, (string Email, string Password) user)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.Address };
        var response = await PageSession.SignInOnPageAsync(client, client, user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("contactdesk.auth=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static async Task<HttpClient> BearerClientAsync(AppProcess app, (string Email, string Password) user)
    {
        var client = app.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        var token = (string)(await login.ReadObjectAsync())["access_token"]!;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Guid> SubmitAsync(AppProcess app, string subject)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync($"{Contact}/submit", new { name = "Sam", email = "sam@example.com", subject, message = "Hello" });
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return (await response.ReadObjectAsync()).IdOf();
    }
}
