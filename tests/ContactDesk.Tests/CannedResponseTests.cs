using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>Contract section 10, canned responses: who sees and changes them, Liquid bodies checked when saved, use in a reply.</summary>
public abstract partial class CannedResponseTests(ContactDeskApp app)
{
    private const string Canned = "/api/v1/canned-responses";

    [Fact]
    public async Task A_personal_response_does_not_exist_for_anyone_else()
    {
        var owner = await app.CreateUserAsync(Roles.Moderator);
        var other = await app.CreateUserAsync(Roles.Moderator);
        var admin = await app.CreateUserAsync(Roles.Admin);
        var ticket = await app.SubmitAsync();
        var mine = await CreateAsync(owner, new { title = "Mine " + Word(), body = "Hello {{ submitter.name }}" });
        Assert.False((bool)mine["shared"]!);
        Assert.Equal(owner.Id.ToString(), (string)mine["owner"]!["id"]!);
        Assert.Equal(owner.Name, (string)mine["owner"]!["name"]!);
        var id = (string)mine["id"]!;

        Assert.Contains(await ListIdsAsync(owner), i => i == id);
        foreach (var stranger in new[] { other, admin })
        {
            Assert.DoesNotContain(await ListIdsAsync(stranger), i => i == id);
            await ResponseAssert.ProblemAsync(await stranger.Client.PatchAsJsonAsync($"{Canned}/{id}", new { title = "Taken" }), HttpStatusCode.NotFound);
            await ResponseAssert.ProblemAsync(await stranger.Client.DeleteAsync($"{Canned}/{id}"), HttpStatusCode.NotFound);
            await ResponseAssert.ProblemAsync(await stranger.Client.GetAsync($"{Canned}/{id}/render?ticket_id={ticket.IdOf()}"), HttpStatusCode.NotFound);
            await ResponseAssert.ValidationProblemAsync(await stranger.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/messages",
                new { kind = "note", canned_response_id = id }), "canned_response_id");
        }
        Assert.Equal(1, (int)(await owner.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}"))["message_count"]!);

        var renamed = await ResponseAssert.JsonAsync(await owner.Client.PatchAsJsonAsync($"{Canned}/{id}", new { title = "Renamed" }), HttpStatusCode.OK);
        Assert.Equal("Renamed", (string)renamed["title"]!);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"{Canned}/{id}")).StatusCode);
        Assert.DoesNotContain(await ListIdsAsync(owner), i => i == id);
    }

    [Fact]
    public async Task Shared_responses_are_created_and_changed_by_admins_only()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var admin = await app.CreateUserAsync(Roles.Admin);

        await ResponseAssert.ProblemAsync(await moderator.Client.PostAsJsonAsync(Canned, new { title = "Team", body = "Hi", shared = true }), HttpStatusCode.Forbidden);
        var shared = await CreateAsync(admin, new { title = "Team " + Word(), body = "Hi {{ submitter.name }}", shared = true });
        var id = (string)shared["id"]!;
        var personal = await CreateAsync(moderator, new { title = "Own " + Word(), body = "Hi" });

        Assert.Contains(await ListIdsAsync(moderator), i => i == id);
        await ResponseAssert.ProblemAsync(await moderator.Client.PatchAsJsonAsync($"{Canned}/{id}", new { body = "Changed" }), HttpStatusCode.Forbidden);
        await ResponseAssert.ProblemAsync(await moderator.Client.DeleteAsync($"{Canned}/{id}"), HttpStatusCode.Forbidden);
        await ResponseAssert.ProblemAsync(await moderator.Client.PatchAsJsonAsync($"{Canned}/{personal["id"]}", new { shared = true }), HttpStatusCode.Forbidden);
        var changed = await ResponseAssert.JsonAsync(await admin.Client.PatchAsJsonAsync($"{Canned}/{id}", new { body = "Changed" }), HttpStatusCode.OK);
        Assert.Equal("Changed", (string)changed["body"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.CreateUserAsync(Roles.User)).Client.GetAsync(Canned)).StatusCode);
    }

    [Fact]
    public async Task A_body_renders_every_variable_for_the_ticket()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator, "Mia Agent");
        var ticket = await app.SubmitAsync(subject: "Parcel <late> & lost", category: "bug", name: "Ann O'Hara", email: "ann@example.com");
        var canned = await CreateAsync(moderator, new
        {
            title = "All " + Word(),
            body = "{{ ticket.number }}|{{ ticket.subject }}|{{ ticket.category }}|{{ submitter.name }}|{{ submitter.email }}|"
                + "{{ agent.name | upcase }}|{{ portal_url }}|{% assign blank = '' %}{{ blank | default: 'fallback' }}{% assign x = 'ok' %}|{{ x }}"
                + "|{% for i in (1..2) %}{{ forloop.index }}{% endfor %}",
        });

        var rendered = await moderator.Client.GetObjectAsync($"{Canned}/{canned["id"]}/render?ticket_id={ticket.IdOf()}");

        var parts = ((string)rendered["body"]!).Split('|');
        Assert.Equal((string)ticket["ticket_number"]!, parts[0]);
        Assert.Equal("Parcel <late> & lost", parts[1]);
        Assert.Equal("bug", parts[2]);
        Assert.Equal("Ann O'Hara", parts[3]);
        Assert.Equal("ann@example.com", parts[4]);
        Assert.Equal("MIA AGENT", parts[5]);
        Assert.Matches("^https?://.+/t/…$", parts[6]); // the preview makes no link
        Assert.Equal("fallback", parts[7]);
        Assert.Equal("ok", parts[8]);
        Assert.Equal("12", parts[9]);
        await ResponseAssert.ProblemAsync(await moderator.Client.GetAsync($"{Canned}/{canned["id"]}/render?ticket_id={Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.GetAsync($"{Canned}/{canned["id"]}/render"), "ticket_id");
    }

    [Theory]
    [InlineData("Hello {{ customer.name }}")]
    [InlineData("Hello {{ ticket.secret }}")]
    [InlineData("Hello {{ ticket }}")]
    [InlineData("{% if submitter.phone %}call{% endif %}")]
    [InlineData("{{ submitter.name | no_such_filter }}")]
    public async Task An_unknown_variable_or_filter_is_refused_when_saving(string body)
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var problem = await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(Canned, new { title = "Bad", body }), "body");
        Assert.Contains("Unknown", problem["errors"]!["body"]![0]!.ToString());

        var good = await CreateAsync(moderator, new { title = "Good " + Word(), body = "Fine" });
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PatchAsJsonAsync($"{Canned}/{good["id"]}", new { body }), "body");
    }

    [Theory]
    [InlineData("Hello {{ submitter.name")]
    [InlineData("{% if ticket.number %}unclosed")]
    [InlineData("{% nosuchtag %}")]
    public async Task A_syntax_error_is_refused_when_saving(string body)
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(Canned, new { title = "Broken", body }), "body");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(Canned,
            new { title = "Bad extras", body = "x", set_status = "closed", add_tags = new[] { "not valid" } }), "set_status", "add_tags");
    }

    [Fact]
    public async Task A_reply_with_a_canned_response_applies_its_status_and_tags_in_the_same_step()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator, "Max Helper");
        var ticket = await app.SubmitAsync(name: "Bo Buyer");
        var w = Word();
        var canned = await CreateAsync(moderator, new
        {
            title = "Solved " + w, body = "Dear {{ submitter.name }}, this is solved. Follow up at {{ portal_url }}\n{{ agent.name }}",
            set_status = "resolved", add_tags = new[] { $"{w}-solved", $"{w}-canned" },
        });
        Assert.Equal("resolved", (string)canned["set_status"]!);
        Assert.Equal([$"{w}-canned", $"{w}-solved"], canned["add_tags"]!.AsArray().Select(t => (string)t!));

        var response = await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/messages",
            new { kind = "reply", body = "Thanks for waiting.", canned_response_id = canned["id"] });
        var message = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);

        var body = (string)message["body"]!;
        Assert.StartsWith("Thanks for waiting.\n\nDear Bo Buyer, this is solved. Follow up at ", body);
        Assert.EndsWith("\nMax Helper", body);
        var token = TokenPattern().Match(body).Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/api/v1/portal/{token}")).StatusCode);
        var after = await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}");
        Assert.Equal("resolved", (string)after["status"]!);
        Assert.Equal([$"{w}-canned", $"{w}-solved"], after["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(2, (int)after["message_count"]!);
        // One change of the ticket: the status, the tags and the message together.
        var history = (await moderator.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket.IdOf()}/history"))!;
        var resolved = Assert.Single(history, e => (string)e!["action"]! == "resolved")!;
        Assert.NotNull(resolved["changes"]!["tags"]);
        Assert.Equal((string)resolved["at"]!, (string)history.Single(e => (string)e!["action"]! == "message_added")!["at"]!);
    }

    [Fact]
    public async Task Nothing_is_applied_when_the_message_is_refused()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var other = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        var w = Word();
        var canned = await CreateAsync(moderator, new { title = "Close " + w, body = "Done.", set_status = "resolved", add_tags = new[] { $"{w}-x" } });
        var url = $"{Contact}/{ticket.IdOf()}/messages";

        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url,
            new { kind = "shout", canned_response_id = canned["id"] }), "kind");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url,
            new { kind = "reply", body = new string('x', 50_001), canned_response_id = canned["id"] }), "body");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync(url,
            new { kind = "reply", canned_response_id = "not-an-id" }), "canned_response_id");
        await ResponseAssert.ValidationProblemAsync(await other.Client.PostAsJsonAsync(url,
            new { kind = "reply", canned_response_id = canned["id"] }), "canned_response_id");

        var after = await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}");
        Assert.Equal("pending", (string)after["status"]!);
        Assert.Empty(after["tags"]!.AsArray());
        Assert.Equal(1, (int)after["message_count"]!);
        Assert.Equal((string)ticket["updated_at"]!, (string)after["updated_at"]!);
    }

    private static async Task<JsonObject> CreateAsync(TestUser user, object body)
    {
        var response = await user.Client.PostAsJsonAsync(Canned, body);
        var created = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal($"{Canned}/{created["id"]}", response.Headers.Location!.OriginalString);
        return created;
    }

    private static async Task<List<string>> ListIdsAsync(TestUser user) =>
        (await user.Client.GetFromJsonAsync<JsonArray>(Canned))!.Select(c => (string)c!["id"]!).ToList();

    private static string Word() => "c" + Guid.NewGuid().ToString("N")[..10];

    [GeneratedRegex("/t/([a-z2-7]{32})")]
    private static partial Regex TokenPattern();
}

public sealed class CannedResponseTestsOnSqlite(SqliteApp app) : CannedResponseTests(app), IClassFixture<SqliteApp>;

public sealed class CannedResponseTestsOnPostgres(PostgresApp app) : CannedResponseTests(app), IClassFixture<PostgresApp>;
