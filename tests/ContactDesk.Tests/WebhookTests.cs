using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Data;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Tickets;
using ContactDesk.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactDesk.Tests;

/// <summary>Contract section 12, webhooks: the admin API, and signed deliveries to a real HTTP receiver, at least once.</summary>
public abstract class WebhookTests(WebhookApp app)
{
    private const string Hooks = "/api/v1/admin/webhooks";
    private WebhookReceiver Receiver => app.Receiver;

    [Fact]
    public async Task A_new_ticket_is_posted_signed_with_the_secret_shown_only_at_creation()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var url = Receiver.NewUrl();
        var created = await CreateAsync(admin, url, WebhookEvents.All);
        var secret = (string)created["secret"]!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(url, (string)created["url"]!);
        Assert.True((bool)created["active"]!);

        var listed = (await admin.Client.GetFromJsonAsync<JsonArray>(Hooks))!.Single(w => (string)w!["id"]! == (string)created["id"]!)!;
        Assert.Null((string?)listed["secret"]);

        var ticket = await app.SubmitAsync(subject: "Webhook subject");
        var hook = (await Receiver.WaitUntilAsync(url, r => OfTicket(r, ticket, WebhookEvents.TicketCreated).Any())).Single(r => IsOf(r, ticket));

        Assert.Equal("POST", hook.Method);
        Assert.Equal("application/json; charset=utf-8", hook.Headers["Content-Type"]);
        Assert.Equal(WebhookEvents.TicketCreated, hook.Headers["X-ContactDesk-Event"]);
        var body = hook.Json;
        Assert.Equal((string)body["id"]!, hook.Headers["X-ContactDesk-Delivery"]);
        Assert.Equal(WebhookEvents.TicketCreated, (string)body["event"]!);
        Assert.True(DateTime.TryParse((string)body["occurred_at"]!, out _));
        // The receiver's check: HMAC-SHA256 of the raw bytes with the secret.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), hook.Body));
        Assert.Equal(expected, hook.Headers["X-ContactDesk-Signature"]);
        // The ticket exactly as the API shows it.
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var fromApi = await moderator.Client.GetFromJsonAsync<JsonObject>($"/api/v1/contact/{ticket["id"]}");
        Assert.True(JsonNode.DeepEquals(fromApi, body["data"]!["ticket"]), $"API: {fromApi}\nwebhook: {body["data"]}");
    }

    [Fact]
    public async Task Updates_messages_and_resolution_are_each_delivered_with_their_payload()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var moderator = await app.CreateUserAsync(Roles.Moderator, "Mona Moderator");
        var url = Receiver.NewUrl();
        await CreateAsync(admin, url, [WebhookEvents.TicketUpdated, WebhookEvents.TicketResolved, WebhookEvents.MessageCreated]);
        var ticket = await app.SubmitAsync();

        (await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { category = "bug" })).EnsureSuccessStatusCode();
        var updated = await SingleAsync(url, ticket, WebhookEvents.TicketUpdated);
        Assert.Equal("bug", (string)updated.Json["data"]!["ticket"]!["category"]!);
        Assert.Equal(1, (int)updated.Json["data"]!["ticket"]!["message_count"]!);

        var post = await moderator.Client.PostAsJsonAsync($"/api/v1/contact/{ticket["id"]}/messages", new { kind = "reply", body = "Here is the answer." });
        var message = await ResponseAssert.JsonAsync(post, HttpStatusCode.Created);
        var added = await SingleAsync(url, ticket, WebhookEvents.MessageCreated);
        var data = added.Json["data"]!;
        Assert.Equal((string)message["id"]!, (string)data["message"]!["id"]!);
        Assert.Equal("Here is the answer.", (string)data["message"]!["body"]!);
        Assert.Equal("reply", (string)data["message"]!["kind"]!);
        Assert.Equal("Mona Moderator", (string)data["message"]!["author"]!["name"]!);
        Assert.Equal(2, (int)data["ticket"]!["message_count"]!);

        (await moderator.Client.PostAsJsonAsync($"/api/v1/contact/{ticket["id"]}/mark-resolved", new { resolution_notes = "Done." })).EnsureSuccessStatusCode();
        var resolved = await SingleAsync(url, ticket, WebhookEvents.TicketResolved);
        Assert.Equal("resolved", (string)resolved.Json["data"]!["ticket"]!["status"]!);
        Assert.Equal(moderator.Email, (string)resolved.Json["data"]!["ticket"]!["resolved_by"]!["email"]!);

        // Not subscribed: no ticket.created. The reply also assigned the ticket (an update of its own);
        // a resolution is ticket.resolved, not also ticket.updated.
        var mine = Receiver.For(url).Where(r => IsOf(r, ticket)).ToList();
        Assert.DoesNotContain(mine, r => r.Headers["X-ContactDesk-Event"] == WebhookEvents.TicketCreated);
        var updates = mine.Where(r => r.Headers["X-ContactDesk-Event"] == WebhookEvents.TicketUpdated).ToList();
        Assert.Equal(2, updates.Count);
        Assert.Equal(moderator.Email, (string)updates[1].Json["data"]!["ticket"]!["assigned_to"]!["email"]!);
    }

    [Fact]
    public async Task A_bulk_resolve_sends_ticket_resolved_for_each_ticket()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var url = Receiver.NewUrl();
        await CreateAsync(admin, url, [WebhookEvents.TicketResolved]);
        var first = await app.SubmitAsync();
        var second = await app.SubmitAsync();

        var bulk = await moderator.Client.PostAsJsonAsync("/api/v1/contact/bulk", new { ids = new[] { first.IdOf(), second.IdOf() }, action = "resolve" });
        Assert.Equal(2, (int)(await ResponseAssert.JsonAsync(bulk, HttpStatusCode.OK))["updated"]!);

        foreach (var ticket in new[] { first, second })
        {
            var resolved = await SingleAsync(url, ticket, WebhookEvents.TicketResolved);
            Assert.Equal("resolved", (string)resolved.Json["data"]!["ticket"]!["status"]!);
        }
    }

    [Fact]
    public async Task Deliveries_are_written_in_the_transaction_of_the_change_and_a_failed_change_queues_none()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var hook = await CreateAsync(admin, Receiver.NewUrl(), [WebhookEvents.TicketCreated]);
        var hookId = Guid.Parse((string)hook["id"]!);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Rolled back: the ticket and its delivery both vanish.
        var rolledBack = NewTicket();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.Tickets.Add(rolledBack);
            await db.SaveChangesAsync();
            Assert.True(await db.WebhookDeliveries.AnyAsync(d => d.TicketId == rolledBack.Id && d.WebhookId == hookId));
            await tx.RollbackAsync();
        }
        db.ChangeTracker.Clear();
        Assert.False(await db.WebhookDeliveries.AnyAsync(d => d.TicketId == rolledBack.Id));

        // A save that fails (the second ticket repeats the first's number) writes no delivery.
        var first = NewTicket();
        var clash = NewTicket(first.TicketNumber);
        db.Tickets.AddRange(first, clash);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        Assert.False(await db.WebhookDeliveries.AnyAsync(d => d.TicketId == first.Id || d.TicketId == clash.Id));
        Assert.False(await db.Tickets.AnyAsync(t => t.Id == first.Id));
    }

    [Fact]
    public async Task A_500_is_retried_with_the_same_delivery_until_it_succeeds_and_counted()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var url = Receiver.NewUrl(500, 503);
        var hook = await CreateAsync(admin, url, [WebhookEvents.TicketCreated]);
        using var attempts = new AttemptCounter(app);

        var ticket = await app.SubmitAsync();
        var calls = await Receiver.WaitUntilAsync(url, r => r.Count(h => IsOf(h, ticket)) == 3);

        var mine = calls.Where(h => IsOf(h, ticket)).ToList();
        Assert.Single(mine.Select(h => h.Headers["X-ContactDesk-Delivery"]).Distinct());
        Assert.Single(mine.Select(h => Convert.ToBase64String(h.Body)).Distinct());
        var delivery = await DeliveryAsync(admin, hook, d => (string)d["status"]! == "delivered");
        Assert.Equal(3, (int)delivery["attempts"]!);
        Assert.Equal(200, (int)delivery["last_response_code"]!);
        Assert.Equal(mine[0].Headers["X-ContactDesk-Delivery"], (string)delivery["id"]!);
        Assert.True(attempts.Failed >= 2 && attempts.Delivered >= 1, $"failed {attempts.Failed}, delivered {attempts.Delivered}");
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_retried()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var url = Receiver.NewUrl(async n =>
        {
            if (n == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(3)); // the app gives up after 1 s
            }
            return 204;
        });
        var hook = await CreateAsync(admin, url, [WebhookEvents.TicketCreated]);
        var ticket = await app.SubmitAsync();

        var delivery = await DeliveryAsync(admin, hook, d => (string)d["status"]! == "delivered");
        Assert.Equal(2, (int)delivery["attempts"]!);
        Assert.Equal(204, (int)delivery["last_response_code"]!);
        Assert.Equal(2, Receiver.For(url).Count(h => IsOf(h, ticket)));
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_is_not_followed()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var url = Receiver.NewUrl(302);
        var hook = await CreateAsync(admin, url, [WebhookEvents.TicketCreated]);
        var redirectsBefore = Receiver.For(Receiver.BaseUrl + "/redirected").Count;
        await app.SubmitAsync();

        var delivery = await DeliveryAsync(admin, hook, d => (string)d["status"]! == "delivered");
        Assert.Equal(2, (int)delivery["attempts"]!);
        Assert.Equal(redirectsBefore, Receiver.For(Receiver.BaseUrl + "/redirected").Count);
    }

    [Fact]
    public async Task Repeated_failures_pause_the_webhook_and_email_the_admins_and_switching_it_on_sends_what_waited()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var broken = true;
        var url = Receiver.NewUrl(_ => Task.FromResult(broken ? 500 : 200));
        var hook = await CreateAsync(admin, url, [WebhookEvents.TicketCreated]);
        var id = (string)hook["id"]!;
        var ticket = await app.SubmitAsync();

        var paused = await Eventually(async () =>
            (await admin.Client.GetFromJsonAsync<JsonArray>(Hooks))!.Single(w => (string)w!["id"]! == id) is { } w && !(bool)w["active"]! ? w : null);
        Assert.NotNull((string?)paused["paused_at"]);
        Assert.Equal(WebhookApp.PauseAfterFailures, Receiver.For(url).Count);
        var email = (await app.Smtp.WaitUntilAsync(r => r.Any(m => m.To == admin.Email && m.Subject.Contains(url)))).First(m => m.To == admin.Email && m.Subject.Contains(url));
        Assert.Contains("paused", email.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"failed {WebhookApp.PauseAfterFailures} times", email.Message.TextBody);

        // Paused: nothing is sent, and a redelivery is refused until it is on again.
        var delivery = await DeliveryAsync(admin, hook, _ => true);
        await ResponseAssert.ProblemAsync(await admin.Client.PostAsync($"{Hooks}/deliveries/{delivery["id"]}/redeliver", null), HttpStatusCode.Conflict);
        broken = false;
        var on = await admin.Client.PatchAsJsonAsync($"{Hooks}/{id}", new { active = true });
        var turnedOn = await ResponseAssert.JsonAsync(on, HttpStatusCode.OK);
        Assert.True((bool)turnedOn["active"]!);
        Assert.Null((string?)turnedOn["secret"]);

        await Receiver.WaitUntilAsync(url, r => r.Any(h => IsOf(h, ticket) && h.Call > WebhookApp.PauseAfterFailures));
        var done = await DeliveryAsync(admin, hook, d => (string)d["status"]! == "delivered");
        Assert.Equal(WebhookApp.PauseAfterFailures + 1, (int)done["attempts"]!);
    }

    [Fact]
    public async Task Redeliver_sends_the_same_delivery_again()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var url = Receiver.NewUrl();
        var hook = await CreateAsync(admin, url, [WebhookEvents.TicketCreated]);
        var ticket = await app.SubmitAsync();
        var delivery = await DeliveryAsync(admin, hook, d => (string)d["status"]! == "delivered");

        var again = await admin.Client.PostAsync($"{Hooks}/deliveries/{delivery["id"]}/redeliver", null);
        Assert.Equal("pending", (string)(await ResponseAssert.JsonAsync(again, HttpStatusCode.Accepted))["status"]!);

        var both = (await Receiver.WaitUntilAsync(url, r => r.Count(h => IsOf(h, ticket)) == 2)).Where(h => IsOf(h, ticket)).ToList();
        Assert.Equal(both[0].Body, both[1].Body);
        Assert.Equal((string)delivery["id"]!, both[1].Headers["X-ContactDesk-Delivery"]);
        await DeliveryAsync(admin, hook, d => (string)d["status"]! == "delivered");
        await ResponseAssert.ProblemAsync(await admin.Client.PostAsync($"{Hooks}/deliveries/{Guid.NewGuid()}/redeliver", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_urls_and_events_are_field_errors_and_webhooks_can_be_changed_and_deleted()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        await ResponseAssert.ValidationProblemAsync(
            await admin.Client.PostAsJsonAsync(Hooks, new { url = "ftp://example.org/x", events = new[] { "ticket.exploded" } }), "url", "events");
        await ResponseAssert.ValidationProblemAsync(await admin.Client.PostAsJsonAsync(Hooks, new { url = "/relative" }), "url", "events");
        await ResponseAssert.ValidationProblemAsync(
            await admin.Client.PostAsJsonAsync(Hooks, new { url = "https://example.org/x", events = Array.Empty<string>() }), "events");
        await ResponseAssert.ValidationProblemAsync(
            await admin.Client.PostAsJsonAsync(Hooks, new { url = "https://user:pw@example.org/x", events = new[] { "ticket.created" } }), "url");

        var hook = await CreateAsync(admin, Receiver.NewUrl(), [WebhookEvents.TicketCreated]);
        var id = (string)hook["id"]!;
        var changed = await ResponseAssert.JsonAsync(await admin.Client.PatchAsJsonAsync($"{Hooks}/{id}",
            new { events = new[] { "message.created", "ticket.updated" }, active = false }), HttpStatusCode.OK);
        Assert.Equal(["ticket.updated", "message.created"], changed["events"]!.AsArray().Select(e => (string)e!));
        Assert.False((bool)changed["active"]!);
        await ResponseAssert.ValidationProblemAsync(await admin.Client.PatchAsJsonAsync($"{Hooks}/{id}", new { events = new[] { "nope" } }), "events");
        await ResponseAssert.ProblemAsync(await admin.Client.PatchAsJsonAsync($"{Hooks}/{Guid.NewGuid()}", new { active = true }), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{Hooks}/{id}")).StatusCode);
        await ResponseAssert.ProblemAsync(await admin.Client.DeleteAsync($"{Hooks}/{id}"), HttpStatusCode.NotFound);
        await ResponseAssert.ProblemAsync(await admin.Client.GetAsync($"{Hooks}/{id}/deliveries"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_admins_may_manage_webhooks()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var body = new { url = "https://example.org/x", events = new[] { "ticket.created" } };
        await ResponseAssert.ProblemAsync(await moderator.Client.GetAsync(Hooks), HttpStatusCode.Forbidden);
        await ResponseAssert.ProblemAsync(await moderator.Client.PostAsJsonAsync(Hooks, body), HttpStatusCode.Forbidden);
        await ResponseAssert.ProblemAsync(await moderator.Client.PostAsync($"{Hooks}/deliveries/{Guid.NewGuid()}/redeliver", null), HttpStatusCode.Forbidden);
        await ResponseAssert.ProblemAsync(await app.CreateClient().GetAsync(Hooks), HttpStatusCode.Unauthorized);
    }

    private static async Task<JsonObject> CreateAsync(TestUser admin, string url, IEnumerable<string> events)
    {
        var response = await admin.Client.PostAsJsonAsync(Hooks, new { url, events });
        var created = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal($"{Hooks}/{created["id"]}", response.Headers.Location!.OriginalString);
        return created;
    }

    /// <summary>The webhook's newest delivery once it satisfies <paramref name="done"/>.</summary>
    private static Task<JsonObject> DeliveryAsync(TestUser admin, JsonObject hook, Func<JsonObject, bool> done) => Eventually(async () =>
        (await admin.Client.GetFromJsonAsync<JsonArray>($"{Hooks}/{hook["id"]}/deliveries"))!.FirstOrDefault() is JsonObject d && done(d) ? d : null);

    private async Task<ReceivedHook> SingleAsync(string url, JsonObject ticket, string name) =>
        (await Receiver.WaitUntilAsync(url, r => OfTicket(r, ticket, name).Any())).Single(r => IsOf(r, ticket) && r.Headers["X-ContactDesk-Event"] == name);

    private static IEnumerable<ReceivedHook> OfTicket(IEnumerable<ReceivedHook> hooks, JsonObject ticket, string name) =>
        hooks.Where(r => IsOf(r, ticket) && r.Headers["X-ContactDesk-Event"] == name);

    private static bool IsOf(ReceivedHook hook, JsonObject ticket) => (string?)hook.Json["data"]?["ticket"]?["id"] == (string)ticket["id"]!;

    private static Ticket NewTicket(string? number = null)
    {
        number ??= "T-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        return new Ticket
        {
            Id = Guid.CreateVersion7(), TicketNumber = number, Name = "Tx Test", Email = "tx@example.com", Subject = "In a transaction",
            Message = "Hello", Category = TicketCategory.General, Status = TicketStatus.Pending,
            SearchText = Ticket.BuildSearchText(number, "Tx Test", "tx@example.com", "In a transaction", "Hello"),
        };
    }

    internal static async Task<T> Eventually<T>(Func<Task<T?>> probe, int seconds = 30) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Not reached within {seconds} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Listens to this app's <c>contactdesk.webhook.deliveries</c> counter (other apps in the run have meters of their own).</summary>
    private sealed class AttemptCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long delivered, failed;

        public AttemptCounter(ContactDeskApp app)
        {
            var factory = app.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "contactdesk.webhook.deliveries" && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "outcome", Value: "delivered" }) Interlocked.Add(ref delivered, value);
                    if (tag is { Key: "outcome", Value: "failed" }) Interlocked.Add(ref failed, value);
                }
            });
            listener.Start();
        }

        public long Delivered => Interlocked.Read(ref delivered);
        public long Failed => Interlocked.Read(ref failed);

        public void Dispose() => listener.Dispose();
    }
}

public sealed class WebhookTestsOnSqlite(SqliteWebhookApp app) : WebhookTests(app), IClassFixture<SqliteWebhookApp>;

public sealed class WebhookTestsOnPostgres(PostgresWebhookApp app) : WebhookTests(app), IClassFixture<PostgresWebhookApp>;

/// <summary>By default a webhook may not reach loopback, private or link-local addresses: refused when saved and when connecting.</summary>
public abstract class WebhookGuardTests(WebhookApp app)
{
    private const string Hooks = "/api/v1/admin/webhooks";

    [Fact]
    public async Task Private_destinations_are_refused_when_saved()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        string[] refused =
        [
            "http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
            $"http://localhost:{app.Receiver.Port}/hook", "http://192.168.1.10/hook", "http://172.16.0.1/hook", "http://100.64.0.1/hook",
            "http://0.0.0.0/hook", "http://[fd12:3456::1]/hook", "http://[fe80::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://224.0.0.1/hook",
        ];
        foreach (var url in refused)
        {
            var problem = await ResponseAssert.ValidationProblemAsync(
                await admin.Client.PostAsJsonAsync(Hooks, new { url, events = new[] { "ticket.created" } }), "url");
            Assert.Contains("address", (string)problem["errors"]!["url"]![0]!);
        }

        // A public address is fine; changing it to a private one is not.
        var created = await ResponseAssert.JsonAsync(
            await admin.Client.PostAsJsonAsync(Hooks, new { url = "https://203.0.113.10/hook", events = new[] { "ticket.created" } }), HttpStatusCode.Created);
        await ResponseAssert.ValidationProblemAsync(
            await admin.Client.PatchAsJsonAsync($"{Hooks}/{created["id"]}", new { url = "http://127.0.0.1/hook" }), "url");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{Hooks}/{created["id"]}")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_private_address_is_refused_again_when_connecting(string host)
    {
        // Saved before the name pointed here (as DNS rebinding would have it): written straight to the database.
        var url = app.Receiver.NewUrl().Replace("127.0.0.1", host);
        var hookId = await app.QueryAsync(async db =>
        {
            var hook = new Webhook
            {
                Id = Guid.CreateVersion7(), Url = url, Events = WebhookEvents.TicketCreated, Active = true, Secret = "whsec_test",
                CreatedAt = DateTime.UtcNow,
            };
            db.Webhooks.Add(hook);
            await db.SaveChangesAsync();
            return hook.Id;
        });
        await app.SubmitAsync();

        var delivery = await WebhookTests.Eventually(() => app.QueryAsync(db =>
            db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.WebhookId == hookId && d.Attempts > 0)));
        Assert.Contains("Refused", delivery.LastError);
        Assert.Null(delivery.LastResponseCode);
        Assert.Empty(app.Receiver.For(url));
        await app.QueryAsync(db => db.Webhooks.Where(w => w.Id == hookId).ExecuteDeleteAsync());
    }
}

public sealed class WebhookGuardTestsOnSqlite(SqliteGuardedWebhookApp app) : WebhookGuardTests(app), IClassFixture<SqliteGuardedWebhookApp>;

public sealed class WebhookGuardTestsOnPostgres(PostgresGuardedWebhookApp app) : WebhookGuardTests(app), IClassFixture<PostgresGuardedWebhookApp>;
