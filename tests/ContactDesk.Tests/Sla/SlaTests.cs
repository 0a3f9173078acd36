using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Identity;
using ContactDesk.Notifications;
using ContactDesk.Sla;
using ContactDesk.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests.Sla;

/// <summary>
/// Contract section 10, SLA: deadlines on tickets under the default policy (Mon–Fri 09:00–17:00 UTC,
/// normal 480/2400, urgent 60/240 business minutes, warning 60 minutes before), with the clock moved
/// by the test. Each test starts on a Monday at 10:00 UTC of its own.
/// </summary>
public abstract class SlaTests(ISlaApp sla) : IAsyncLifetime
{
    private const string Policy = "/api/v1/admin/sla";
    private readonly ContactDeskApp app = sla.App;
    private TestUser admin = null!, moderator = null!;
    private DateTime monday;

    public async Task InitializeAsync()
    {
        sla.Users ??= CreateUsersAsync();
        (admin, moderator) = await sla.Users;
        var response = await admin.Client.PutAsJsonAsync(Policy, SlaSettings.Default with { Enabled = true }, ContactDeskApp.Json);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        monday = NextMonday();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TestUser, TestUser)> CreateUsersAsync() =>
        (await app.CreateUserAsync(Roles.Admin), await app.CreateUserAsync(Roles.Moderator, "Mona Moderator"));

    [Fact]
    public async Task A_new_ticket_gets_its_deadlines_in_business_time()
    {
        var ticket = await app.SubmitAsync();

        var s = ticket["sla"]!;
        Assert.Equal(monday.AddDays(1), At(s["first_response_due_at"])); // 7 h today, 1 h tomorrow
        Assert.Equal(monday.AddDays(7), At(s["resolution_due_at"]));       // 40 business hours: a week
        Assert.Equal("ok", (string?)s["state"]);
        Assert.False((bool)s["paused"]!);
    }

    [Fact]
    public async Task A_priority_change_recomputes_the_deadlines_from_creation()
    {
        var ticket = await app.SubmitAsync();
        Move(monday.AddMinutes(30));

        var patched = await (await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { priority = "urgent" })).ReadObjectAsync();

        Assert.Equal(monday.AddHours(1), At(patched["sla"]!["first_response_due_at"]));
        Assert.Equal(monday.AddHours(4), At(patched["sla"]!["resolution_due_at"]));
    }

    [Fact]
    public async Task Waiting_on_the_submitter_pauses_the_clock_and_the_deadline_moves_by_the_business_time_paused()
    {
        var ticket = await app.SubmitAsync();
        Move(monday.AddHours(1));
        await PostAsync(ticket, new { kind = "reply", body = "Could you send the order number?" });

        var paused = await GetAsync(ticket);
        Assert.True((bool)paused["sla"]!["paused"]!);
        Assert.Equal(monday.AddDays(7), At(paused["sla"]!["resolution_due_at"]));

        // Monday 11:00 to Wednesday 11:00 is 6 + 8 + 2 = 16 business hours.
        Move(monday.AddDays(2).AddHours(1));
        await SubmitterWritesAsync(ticket, "It is 4711.");

        var resumed = await GetAsync(ticket);
        Assert.False((bool)resumed["sla"]!["paused"]!);
        Assert.Equal("staff", (string?)resumed["waiting_on"]);
        Assert.Equal(monday.AddDays(9), At(resumed["sla"]!["resolution_due_at"])); // next Monday 10:00 + 16 h = next Wednesday 10:00
        Assert.Equal(monday.AddDays(1), At(resumed["sla"]!["first_response_due_at"])); // met: it stays
    }

    [Fact]
    public async Task A_resolved_ticket_is_met_and_reopening_continues_the_clock_where_it_stopped()
    {
        var ticket = await app.SubmitAsync();
        Move(monday.AddHours(2));
        var resolved = await moderator.Client.ActOkAsync(ticket.IdOf(), "mark-resolved");
        Assert.Equal("met", (string?)resolved["sla"]!["state"]);

        // Closed from Monday 12:00 to Wednesday 12:00: 5 + 8 + 3 = 16 business hours do not count.
        Move(monday.AddDays(2).AddHours(2));
        var reopened = await (await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { status = "pending" })).ReadObjectAsync();

        Assert.Equal("ok", (string?)reopened["sla"]!["state"]);
        Assert.Equal(monday.AddDays(3), At(reopened["sla"]!["first_response_due_at"])); // Tuesday 10:00 + 16 h = Thursday 10:00
        Assert.Equal(monday.AddDays(9), At(reopened["sla"]!["resolution_due_at"]));
    }

    [Fact]
    public async Task Each_warning_and_breach_is_recorded_once_with_one_email_even_with_two_instances_checking_at_once()
    {
        var ticket = await app.SubmitAsync();
        await moderator.Client.ActOkAsync(ticket.IdOf(), "assign-to-me");
        await (await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { priority = "urgent" })).AssertStatusAsync(HttpStatusCode.OK);

        Move(monday.AddMinutes(30)); // first response due 11:00: warned from 10:00
        await CheckEverywhereAsync();
        Assert.Equal("warning", (string?)(await GetAsync(ticket))["sla"]!["state"]);
        Assert.Contains(ticket.IdOf(), await moderator.Client.ListIdsAsync("sla=warning&page_size=100"));

        Move(monday.AddMinutes(90)); // first response breached
        await CheckEverywhereAsync();
        Assert.Equal("breached", (string?)(await GetAsync(ticket))["sla"]!["state"]);
        Assert.Contains(ticket.IdOf(), await moderator.Client.ListIdsAsync("sla=breached&page_size=100"));
        Assert.DoesNotContain(ticket.IdOf(), await moderator.Client.ListIdsAsync("sla=warning&page_size=100"));

        Move(monday.AddHours(5)); // resolution (14:00) warned and breached in one go
        await CheckEverywhereAsync();
        await CheckEverywhereAsync();

        var entries = await app.QueryAsync(db => db.AuditEntries.Where(a => a.TicketId == ticket.IdOf() && a.Action.StartsWith("sla_"))
            .Select(a => a.Action + " " + a.Changes).ToListAsync());
        Assert.Equal(4, entries.Count);
        Assert.Single(entries, e => e.StartsWith("sla_warning") && e.Contains("first_response"));
        Assert.Single(entries, e => e.StartsWith("sla_breached") && e.Contains("first_response"));
        Assert.Single(entries, e => e.StartsWith("sla_warning") && e.Contains("\"resolution\""));
        Assert.Single(entries, e => e.StartsWith("sla_breached") && e.Contains("\"resolution\""));
        var emails = await app.QueryAsync(db => db.OutboxEmails
            .Where(e => e.TicketId == ticket.IdOf() && (e.Kind == EmailKind.SlaWarning || e.Kind == EmailKind.SlaBreached)).ToListAsync());
        Assert.Equal(4, emails.Count);
        Assert.All(emails, e => Assert.Equal(moderator.Email, e.ToAddress));
        Assert.Equal(2, emails.Count(e => e.Kind == EmailKind.SlaBreached));

        var history = await moderator.Client.GetStringAsync($"{Contact}/{ticket.IdOf()}/history");
        Assert.Contains("sla_breached", history);

        var stats = await moderator.Client.GetObjectAsync($"{Contact}/stats/overview");
        Assert.True((int)stats["sla"]!["breached_open"]! >= 1);
        Assert.NotNull(stats["sla"]!["first_response_met_pct"]);
        Assert.True((double)stats["sla"]!["first_response_met_pct"]! < 100);
    }

    [Fact]
    public async Task Outside_business_hours_the_history_is_written_at_once_and_the_email_waits_for_opening()
    {
        Move(monday.AddDays(4).AddHours(6).AddMinutes(30)); // Friday 16:30
        var ticket = await app.SubmitAsync();
        await (await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { priority = "urgent" })).AssertStatusAsync(HttpStatusCode.OK);
        var nextMonday = monday.AddDays(7);
        Assert.Equal(nextMonday.AddMinutes(-30), At((await GetAsync(ticket))["sla"]!["first_response_due_at"])); // 30 min Friday, 30 min Monday

        Move(monday.AddDays(5).AddHours(2)); // Saturday noon: nothing due
        await CheckEverywhereAsync();
        Assert.Equal(0, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.TicketId == ticket.IdOf() && a.Action.StartsWith("sla_"))));

        Move(nextMonday.AddMinutes(-75)); // Monday 08:45: warned (due 09:30), before opening
        await CheckEverywhereAsync();
        var entry = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.TicketId == ticket.IdOf() && a.Action == "sla_warning"));
        Assert.Equal(nextMonday.AddMinutes(-75), entry.At);
        var email = await app.QueryAsync(db => db.OutboxEmails.SingleAsync(e => e.TicketId == ticket.IdOf() && e.Kind == EmailKind.SlaWarning));
        Assert.Equal(nextMonday.AddHours(-1), email.NextAttemptAt); // 09:00
        Assert.Equal(EmailState.Pending, email.State);
    }

    [Fact]
    public async Task The_policy_is_validated_and_only_admins_change_it()
    {
        var current = await admin.Client.GetObjectAsync(Policy);
        Assert.True((bool)current["enabled"]!);
        Assert.Equal("UTC", (string?)current["time_zone"]);
        Assert.Equal("09:00", (string?)current["business_hours"]!["mon"]![0]![0]);
        Assert.Empty(current["business_hours"]!["sun"]!.AsArray());
        Assert.Equal(60, (int)current["targets"]!["urgent"]!["first_response_minutes"]!);
        Assert.Equal(4800, (int)current["targets"]!["low"]!["resolution_minutes"]!);
        Assert.Equal(60, (int)current["warn_before_minutes"]!);

        var bad = current.DeepClone().AsObject();
        bad["time_zone"] = "Europe/Atlantis";
        bad["business_hours"]!["tue"] = new JsonArray(new JsonArray("17:00", "09:00"));
        bad["business_hours"]!["wed"] = new JsonArray(new JsonArray("09:00", "13:00"), new JsonArray("12:00", "17:00"));
        bad["business_hours"]!["thu"] = new JsonArray(new JsonArray("9am", "17:00"));
        bad["targets"]!["high"]!["resolution_minutes"] = -1;
        var response = await admin.Client.PutAsJsonAsync(Policy, bad);
        foreach (var field in new[] { "time_zone", "business_hours.tue[0]", "business_hours.wed", "business_hours.thu[0]", "targets.high.resolution_minutes" })
        {
            await response.AssertValidationErrorAsync(field);
            response = await admin.Client.PutAsJsonAsync(Policy, bad);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.Client.PutAsJsonAsync(Policy, current)).StatusCode);
        Assert.Equal("UTC", (string?)(await admin.Client.GetObjectAsync(Policy))["time_zone"]);
    }

    [Fact]
    public async Task With_the_policy_off_tickets_have_no_sla()
    {
        await (await admin.Client.PutAsJsonAsync(Policy, SlaSettings.Default, ContactDeskApp.Json)).AssertStatusAsync(HttpStatusCode.OK);
        try
        {
            var ticket = await app.SubmitAsync();
            Assert.Null(ticket["sla"]);
            Assert.Null((await GetAsync(ticket))["sla"]);
        }
        finally
        {
            await (await admin.Client.PutAsJsonAsync(Policy, SlaSettings.Default with { Enabled = true }, ContactDeskApp.Json)).AssertStatusAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task The_pages_edit_the_policy_and_show_the_badge_the_filter_and_the_compliance()
    {
        var ticket = await app.SubmitAsync();
        await (await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { priority = "urgent" })).AssertStatusAsync(HttpStatusCode.OK);
        Move(monday.AddHours(5)); // both urgent deadlines (11:00, 14:00) past
        await CheckEverywhereAsync();
        var number = (string)ticket["ticket_number"]!;

        using var pages = await PageClientAsync(moderator);
        var queue = await pages.GetStringAsync("/admin?sla=breached&page_size=100");
        Assert.Contains($"data-ticket=\"{number}\"", queue);
        Assert.Contains("sla sla-breached", queue);
        Assert.Contains("4 h 0 min over", queue); // the first response, due at 11:00, is the next deadline not met
        var page = await pages.GetStringAsync($"/admin/contact/{ticket.IdOf()}");
        Assert.Contains("id=\"sla\"", page);
        Assert.Contains("stat-sla-breached", await pages.GetStringAsync("/admin/dashboard"));
        Assert.NotEqual(HttpStatusCode.OK, (await pages.GetAsync("/admin/sla")).StatusCode); // admins only

        using var adminPages = await PageClientAsync(admin);
        var (token, csrf) = await PageSession.AntiforgeryAsync(adminPages, "/admin/sla");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Form.Enabled"] = "true", ["Form.TimeZone"] = "Europe/Atlantis",
            ["Form.Hours[mon]"] = "09:00-12:00, 13:00-17:00", ["Form.Hours[tue]"] = "17:00-09:00", ["Form.WarnBeforeMinutes"] = "60",
        };
        foreach (var p in new[] { "urgent", "high", "normal", "low" })
        {
            form[$"Form.FirstResponse[{p}]"] = "60";
            form[$"Form.Resolution[{p}]"] = "240";
        }
        var adminCookie = await AuthCookieAsync(admin);
        var refused = await PostFormAsync(adminCookie, csrf, form);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("id=\"time_zone-error\"", html);
        Assert.Contains("id=\"business_hours.tue-error\"", html);
        Assert.Equal("UTC", (string?)(await admin.Client.GetObjectAsync(Policy))["time_zone"]);

        form["Form.TimeZone"] = "Europe/Berlin";
        form["Form.Hours[tue]"] = "";
        Assert.Equal(HttpStatusCode.Redirect, (await PostFormAsync(adminCookie, csrf, form)).StatusCode);
        var saved = await admin.Client.GetObjectAsync(Policy);
        Assert.Equal("Europe/Berlin", (string?)saved["time_zone"]);
        Assert.Equal("13:00", (string?)saved["business_hours"]!["mon"]![1]![0]);
        Assert.Empty(saved["business_hours"]!["tue"]!.AsArray());
        Assert.Equal(240, (int)saved["targets"]!["low"]!["resolution_minutes"]!);
        await (await admin.Client.PutAsJsonAsync(Policy, SlaSettings.Default with { Enabled = true }, ContactDeskApp.Json)).AssertStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>Posts the policy form with the sign-in and antiforgery cookies in one header, as a browser sends them.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(string authCookie, string csrf, Dictionary<string, string> form)
    {
        using var client = await app.PageClientAsync(null);
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/sla") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", $"{authCookie}; {csrf}");
        return await client.SendAsync(request);
    }

    /// <summary>A page client signed in as <paramref name="user"/>.</summary>
    private async Task<HttpClient> PageClientAsync(TestUser user)
    {
        var client = await app.PageClientAsync(null);
        client.DefaultRequestHeaders.Add("Cookie", await AuthCookieAsync(user));
        return client;
    }

    /// <summary>The sign-in cookie of <paramref name="user"/>, issued at the test's (fake) time.</summary>
    private async Task<string> AuthCookieAsync(TestUser user)
    {
        using var scope = app.Services.CreateScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(user.Id.ToString());
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(account!);
        var cookie = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var now = sla.Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) },
            IdentityConstants.ApplicationScheme);
        return $"{cookie.Cookie.Name}={cookie.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>Runs the SLA job on this instance and (on PostgreSQL) a second one on the same database, at the same moment.</summary>
    private async Task CheckEverywhereAsync()
    {
        var instances = new List<ContactDeskApp> { app };
        if (sla.SecondInstance() is { } second)
        {
            instances.Add(second);
        }
        var runs = instances.SelectMany(i => Enumerable.Range(0, 2).Select(_ => i.Services.GetRequiredService<SlaMonitor>()))
            .Select(m => Task.Run(() => m.RunOnceAsync(CancellationToken.None)));
        if (instances.Count > 1)
        {
            await Task.WhenAll(runs);
        }
        else
        {
            foreach (var run in runs.ToList())
            {
                await run; // one SQLite writer at a time
            }
        }
    }

    private async Task<JsonObject> GetAsync(JsonObject ticket) => await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}");

    private async Task PostAsync(JsonObject ticket, object body) =>
        await (await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/messages", body)).AssertStatusAsync(HttpStatusCode.Created);

    /// <summary>The submitter's message, as the portal and inbound email post it.</summary>
    private async Task SubmitterWritesAsync(JsonObject ticket, string body)
    {
        using var scope = app.Services.CreateScope();
        var posted = await scope.ServiceProvider.GetRequiredService<SubmitterMessagePoster>()
            .PostAsync(new SubmitterMessage(ticket.IdOf(), body, MessageSource.Portal), CancellationToken.None);
        Assert.IsType<SubmitterMessagePoster.Posted>(posted);
    }

    private void Move(DateTime to) => sla.Clock.SetUtcNow(new DateTimeOffset(to, TimeSpan.Zero));

    /// <summary>Monday 10:00 UTC of a week no other test has used; the clock moves there.</summary>
    private DateTime NextMonday()
    {
        var now = sla.Clock.GetUtcNow().UtcDateTime;
        var day = now.Date.AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday)
        {
            day = day.AddDays(1);
        }
        var monday = day.AddDays(14).AddHours(10); // past any deadline an earlier test left behind
        Move(monday);
        return monday;
    }

    private static DateTime At(JsonNode? node) => DateTimeOffset.Parse((string)node!).UtcDateTime;
}

public sealed class SlaTestsOnSqlite(SqliteSlaApp app) : SlaTests(app), IClassFixture<SqliteSlaApp>;

public sealed class SlaTestsOnPostgres(PostgresSlaApp app) : SlaTests(app), IClassFixture<PostgresSlaApp>;
