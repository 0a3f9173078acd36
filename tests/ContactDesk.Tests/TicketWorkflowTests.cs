using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>Working a ticket: PATCH, assign-to-me, mark-resolved, archive/restore, bulk, delete and the history.</summary>
public abstract class TicketWorkflowTests(ContactDeskApp app)
{
    private async Task<Guid> NewTicketAsync() => (await app.SubmitAsync()).IdOf();

    /// <summary>A fresh ticket brought to <paramref name="status"/> by <paramref name="moderator"/>.</summary>
    private async Task<Guid> TicketInAsync(string status, TestUser moderator)
    {
        var id = await NewTicketAsync();
        switch (status)
        {
            case "in_progress":
                await moderator.Client.ActOkAsync(id, "assign-to-me");
                break;
            case "resolved":
                await moderator.Client.ActOkAsync(id, "mark-resolved");
                break;
            case "archived":
                await moderator.Client.ActOkAsync(id, "archive");
                break;
        }
        return id;
    }

    private static async Task<JsonObject> PatchOkAsync(TestUser moderator, Guid id, object body)
    {
        var response = await moderator.Client.PatchJsonAsync(id, body);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return await response.ReadObjectAsync();
    }

    private static Task<JsonObject> GetAsync(TestUser moderator, Guid id) => moderator.Client.GetObjectAsync($"{Contact}/{id}");

    private static void AssertUser(TestUser expected, JsonNode? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.IdOf());
        Assert.Equal(expected.Name, (string)actual["name"]!);
        Assert.Equal(expected.Email, (string)actual["email"]!);
    }

    // ---- PATCH /{id} ----------------------------------------------------------------------------

    [Fact]
    public async Task Patch_changes_status_category_and_admin_notes()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();

        var patched = await PatchOkAsync(moderator, id, new { status = "in_progress", category = "bug", admin_notes = "Called them back." });

        Assert.Equal("in_progress", (string)patched["status"]!);
        Assert.Equal("bug", (string)patched["category"]!);
        Assert.Equal("Called them back.", (string)patched["admin_notes"]!);
        Assert.Equal(patched.ToJsonString(), (await GetAsync(moderator, id)).ToJsonString());
    }

    [Fact]
    public async Task Patch_assigned_to_id_assigns_a_moderator_or_admin_and_null_unassigns()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var colleague = await app.CreateUserAsync("moderator");
        var admin = await app.CreateUserAsync("admin");
        var id = await NewTicketAsync();

        AssertUser(colleague, (await PatchOkAsync(moderator, id, new { assigned_to_id = colleague.Id }))["assigned_to"]);
        AssertUser(admin, (await PatchOkAsync(moderator, id, new { assigned_to_id = admin.Id }))["assigned_to"]);
        Assert.Null((await PatchOkAsync(moderator, id, new { assigned_to_id = (Guid?)null }))["assigned_to"]);
        Assert.Null((await GetAsync(moderator, id))["assigned_to"]);
    }

    [Fact]
    public async Task Patch_without_assigned_to_id_leaves_the_assignee_alone()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync("in_progress", moderator);

        AssertUser(moderator, (await PatchOkAsync(moderator, id, new { admin_notes = "still mine" }))["assigned_to"]);
    }

    [Fact]
    public async Task Patch_assigned_to_id_of_a_plain_user_or_an_unknown_id_is_400_and_changes_nothing()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var user = await app.CreateUserAsync("user");
        var id = await NewTicketAsync();
        var before = await GetAsync(moderator, id);

        await (await moderator.Client.PatchJsonAsync(id, new { assigned_to_id = user.Id, admin_notes = "x" })).AssertValidationErrorAsync("assigned_to_id");
        await (await moderator.Client.PatchJsonAsync(id, new { assigned_to_id = Guid.NewGuid() })).AssertValidationErrorAsync("assigned_to_id");

        Assert.Equal(before.ToJsonString(), (await GetAsync(moderator, id)).ToJsonString());
    }

    [Theory]
    [InlineData("""{"status": "bogus"}""", "status")]
    [InlineData("""{"status": 1}""", "status")]
    [InlineData("""{"status": null}""", "status")]
    [InlineData("""{"category": "x"}""", "category")]
    [InlineData("""{"admin_notes": 5}""", "admin_notes")]
    [InlineData("""{"assigned_to_id": "not-a-uuid"}""", "assigned_to_id")]
    [InlineData("""{"assigned_to_id": 7}""", "assigned_to_id")]
    public async Task Patch_with_a_bad_value_is_400_naming_the_field(string body, string field)
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();
        var before = await GetAsync(moderator, id);

        await (await moderator.Client.PatchRawAsync(id, body)).AssertValidationErrorAsync(field);

        Assert.Equal(before.ToJsonString(), (await GetAsync(moderator, id)).ToJsonString());
    }

    [Fact]
    public async Task Patch_with_the_current_ETag_succeeds_and_the_ETag_changes()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();
        var etag = (await moderator.Client.GetAsync($"{Contact}/{id}")).Headers.ETag!.ToString();

        var response = await moderator.Client.PatchJsonAsync(id, new { admin_notes = "first" }, ifMatch: etag);

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var newTag = response.Headers.ETag?.ToString();
        Assert.NotNull(newTag);
        Assert.NotEqual(etag, newTag);
        Assert.Equal(newTag, (await moderator.Client.GetAsync($"{Contact}/{id}")).Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Patch_with_a_stale_If_Match_is_412_and_changes_nothing()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();
        var stale = (await moderator.Client.GetAsync($"{Contact}/{id}")).Headers.ETag!.ToString();
        var current = (await moderator.Client.PatchJsonAsync(id, new { admin_notes = "first" })).Headers.ETag!.ToString();

        await (await moderator.Client.PatchJsonAsync(id, new { admin_notes = "second", status = "resolved" }, ifMatch: stale))
            .AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        var response = await moderator.Client.GetAsync($"{Contact}/{id}");
        var ticket = await response.ReadObjectAsync();
        Assert.Equal("first", (string)ticket["admin_notes"]!);
        Assert.Equal("pending", (string)ticket["status"]!);
        Assert.Equal(current, response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Patch_to_resolved_sets_resolved_at_and_resolved_by()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();

        var ticket = await PatchOkAsync(moderator, id, new { status = "resolved" });

        Assert.Equal("resolved", (string)ticket["status"]!);
        Assert.EndsWith("Z", (string)ticket["resolved_at"]!);
        AssertUser(moderator, ticket["resolved_by"]);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("in_progress")]
    public async Task Reopening_a_resolved_ticket_clears_resolved_at_and_resolved_by(string status)
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync("resolved", moderator);

        var ticket = await PatchOkAsync(moderator, id, new { status });

        Assert.Equal(status, (string)ticket["status"]!);
        Assert.Null(ticket["resolved_at"]);
        Assert.Null(ticket["resolved_by"]);
    }

    [Fact]
    public async Task Archiving_a_resolved_ticket_by_patch_keeps_resolved_at_and_resolved_by()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync("resolved", moderator);
        var resolved = await GetAsync(moderator, id);

        var ticket = await PatchOkAsync(moderator, id, new { status = "archived" });

        Assert.Equal("archived", (string)ticket["status"]!);
        Assert.Equal((string)resolved["resolved_at"]!, (string)ticket["resolved_at"]!);
        AssertUser(moderator, ticket["resolved_by"]);
    }

    // ---- POST /{id}/assign-to-me ----------------------------------------------------------------

    [Fact]
    public async Task Assign_to_me_claims_a_pending_ticket_and_makes_it_in_progress()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();

        var ticket = await moderator.Client.ActOkAsync(id, "assign-to-me");

        Assert.Equal("in_progress", (string)ticket["status"]!);
        AssertUser(moderator, ticket["assigned_to"]);
    }

    [Fact]
    public async Task Assign_to_me_again_by_the_same_moderator_is_200_and_changes_nothing()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();
        var first = await moderator.Client.ActAsync(id, "assign-to-me");
        var firstBody = await first.ReadObjectAsync();

        var again = await moderator.Client.ActAsync(id, "assign-to-me");

        await again.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(firstBody.ToJsonString(), (await again.ReadObjectAsync()).ToJsonString());
    }

    [Fact]
    public async Task Assign_to_me_on_a_ticket_of_someone_else_is_409()
    {
        var owner = await app.CreateUserAsync("moderator");
        var other = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();
        await owner.Client.ActOkAsync(id, "assign-to-me");

        await (await other.Client.ActAsync(id, "assign-to-me")).AssertProblemAsync(HttpStatusCode.Conflict);

        AssertUser(owner, (await GetAsync(other, id))["assigned_to"]);
    }

    [Fact]
    public async Task Two_moderators_assigning_at_once_exactly_one_wins()
    {
        var first = await app.CreateUserAsync("moderator");
        var second = await app.CreateUserAsync("moderator");
        for (var round = 0; round < 20; round++)
        {
            var id = await NewTicketAsync();

            var responses = await Task.WhenAll(first.Client.ActAsync(id, "assign-to-me"), second.Client.ActAsync(id, "assign-to-me"));

            var statuses = responses.Select(r => r.StatusCode).Order().ToArray();
            Assert.True(statuses is [HttpStatusCode.OK, HttpStatusCode.Conflict], $"round {round}: {string.Join(", ", statuses)}");
            var winner = responses[0].StatusCode == HttpStatusCode.OK ? first : second;
            await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).AssertProblemAsync(HttpStatusCode.Conflict);
            AssertUser(winner, (await GetAsync(first, id))["assigned_to"]);
        }
    }

    // ---- POST /{id}/mark-resolved ---------------------------------------------------------------

    [Fact]
    public async Task Mark_resolved_without_a_body_resolves_the_ticket()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();

        var ticket = await moderator.Client.ActOkAsync(id, "mark-resolved");

        Assert.Equal("resolved", (string)ticket["status"]!);
        Assert.EndsWith("Z", (string)ticket["resolved_at"]!);
        AssertUser(moderator, ticket["resolved_by"]);
        Assert.Null(ticket["resolution_notes"]);
    }

    [Fact]
    public async Task Mark_resolved_with_resolution_notes_keeps_them()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync("in_progress", moderator);

        var response = await moderator.Client.PostAsJsonAsync($"{Contact}/{id}/mark-resolved", new { resolution_notes = "Refund sent." });

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var ticket = await response.ReadObjectAsync();
        Assert.Equal("resolved", (string)ticket["status"]!);
        Assert.Equal("Refund sent.", (string)ticket["resolution_notes"]!);
        AssertUser(moderator, ticket["resolved_by"]);
        Assert.Equal("Refund sent.", (string)(await GetAsync(moderator, id))["resolution_notes"]!);
    }

    [Fact]
    public async Task Mark_resolved_with_resolution_notes_that_are_not_text_is_400()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();

        var response = await moderator.Client.PostAsync($"{Contact}/{id}/mark-resolved",
            new StringContent("""{"resolution_notes": 5}""", System.Text.Encoding.UTF8, "application/json"));

        await response.AssertValidationErrorAsync("resolution_notes");
        Assert.Equal("pending", (string)(await GetAsync(moderator, id))["status"]!);
    }

    [Theory]
    [InlineData("resolved")]
    [InlineData("archived")]
    public async Task Mark_resolved_on_a_resolved_or_archived_ticket_is_409(string status)
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync(status, moderator);
        var before = await GetAsync(moderator, id);

        await (await moderator.Client.ActAsync(id, "mark-resolved")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before.ToJsonString(), (await GetAsync(moderator, id)).ToJsonString());
    }

    // ---- POST /{id}/archive, /{id}/restore ------------------------------------------------------

    [Theory]
    [InlineData("pending")]
    [InlineData("in_progress")]
    [InlineData("resolved")]
    public async Task Archive_then_restore_returns_to_the_exact_previous_status(string status)
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync(status, moderator);
        var before = await GetAsync(moderator, id);

        var archived = await moderator.Client.ActOkAsync(id, "archive");
        Assert.Equal("archived", (string)archived["status"]!);
        Assert.Equal(before["resolved_at"]?.ToJsonString(), archived["resolved_at"]?.ToJsonString());

        var restored = await moderator.Client.ActOkAsync(id, "restore");
        Assert.Equal(status, (string)restored["status"]!);
        foreach (var field in new[] { "assigned_to", "resolved_at", "resolved_by", "category", "admin_notes", "resolution_notes" })
        {
            Assert.Equal(before[field]?.ToJsonString(), restored[field]?.ToJsonString());
        }
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("in_progress")]
    [InlineData("resolved")]
    public async Task Restore_of_a_ticket_that_is_not_archived_is_409(string status)
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync(status, moderator);

        await (await moderator.Client.ActAsync(id, "restore")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(status, (string)(await GetAsync(moderator, id))["status"]!);
    }

    [Fact]
    public async Task Archive_twice_is_409()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await TicketInAsync("archived", moderator);

        await (await moderator.Client.ActAsync(id, "archive")).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("pending", (string)(await moderator.Client.ActOkAsync(id, "restore"))["status"]!);
    }

    [Theory]
    [InlineData("assign-to-me")]
    [InlineData("mark-resolved")]
    [InlineData("archive")]
    [InlineData("restore")]
    public async Task An_action_on_an_unknown_id_is_404(string action)
    {
        var moderator = await app.CreateUserAsync("moderator");

        await (await moderator.Client.ActAsync(Guid.NewGuid(), action)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patch_of_an_unknown_id_is_404()
    {
        var moderator = await app.CreateUserAsync("moderator");

        await (await moderator.Client.PatchJsonAsync(Guid.NewGuid(), new { admin_notes = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- POST /bulk -----------------------------------------------------------------------------

    private static async Task<(int Updated, int Skipped)> BulkAsync(TestUser moderator, string action, params Guid[] ids)
    {
        var response = await moderator.Client.PostAsJsonAsync($"{Contact}/bulk", new { ids, action });
        await response.AssertStatusAsync(HttpStatusCode.OK);
        var result = await response.ReadObjectAsync();
        return ((int)result["updated"]!, (int)result["skipped"]!);
    }

    [Fact]
    public async Task Bulk_assign_to_me_claims_the_free_tickets_and_skips_the_rest()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var other = await app.CreateUserAsync("moderator");
        var free = await NewTicketAsync();
        var taken = await TicketInAsync("in_progress", other);

        Assert.Equal((1, 2), await BulkAsync(moderator, "assign_to_me", free, taken, Guid.NewGuid()));

        var ticket = await GetAsync(moderator, free);
        Assert.Equal("in_progress", (string)ticket["status"]!);
        AssertUser(moderator, ticket["assigned_to"]);
        AssertUser(other, (await GetAsync(moderator, taken))["assigned_to"]);
    }

    [Fact]
    public async Task Bulk_resolve_resolves_the_open_tickets_and_skips_the_rest()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var pending = await NewTicketAsync();
        var started = await TicketInAsync("in_progress", moderator);
        var resolved = await TicketInAsync("resolved", moderator);
        var archived = await TicketInAsync("archived", moderator);

        Assert.Equal((2, 3), await BulkAsync(moderator, "resolve", pending, started, resolved, archived, Guid.NewGuid()));

        foreach (var id in new[] { pending, started })
        {
            var ticket = await GetAsync(moderator, id);
            Assert.Equal("resolved", (string)ticket["status"]!);
            AssertUser(moderator, ticket["resolved_by"]);
        }
        Assert.Equal("archived", (string)(await GetAsync(moderator, archived))["status"]!);
    }

    [Fact]
    public async Task Bulk_archive_archives_and_skips_archived_and_unknown_tickets()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var pending = await NewTicketAsync();
        var resolved = await TicketInAsync("resolved", moderator);
        var archived = await TicketInAsync("archived", moderator);

        Assert.Equal((2, 2), await BulkAsync(moderator, "archive", pending, resolved, archived, Guid.NewGuid()));

        Assert.Equal("archived", (string)(await GetAsync(moderator, pending))["status"]!);
        Assert.Equal("resolved", (string)(await moderator.Client.ActOkAsync(resolved, "restore"))["status"]!);
    }

    [Theory]
    [InlineData("""{"ids": ["{id}"], "action": "explode"}""", "action")]
    [InlineData("""{"ids": ["{id}"]}""", "action")]
    [InlineData("""{"ids": [], "action": "archive"}""", "ids")]
    [InlineData("""{"action": "archive"}""", "ids")]
    public async Task Bulk_with_a_bad_action_or_no_ids_is_400_and_changes_nothing(string body, string field)
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();

        var response = await moderator.Client.PostAsync($"{Contact}/bulk",
            new StringContent(body.Replace("{id}", id.ToString()), System.Text.Encoding.UTF8, "application/json"));

        await response.AssertValidationErrorAsync(field);
        Assert.Equal("pending", (string)(await GetAsync(moderator, id))["status"]!);
    }

    [Fact]
    public async Task Bulk_with_an_id_that_is_not_a_uuid_is_400()
    {
        var moderator = await app.CreateUserAsync("moderator");

        var response = await moderator.Client.PostAsync($"{Contact}/bulk",
            new StringContent("""{"ids": ["not-a-uuid"], "action": "archive"}""", System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsObject(), e => e.Key.StartsWith("ids", StringComparison.Ordinal));
    }

    // ---- DELETE /{id} ---------------------------------------------------------------------------

    [Fact]
    public async Task Delete_by_an_admin_is_204_and_the_ticket_is_gone()
    {
        var admin = await app.CreateUserAsync("admin");
        var id = await NewTicketAsync();

        var response = await admin.Client.DeleteAsync($"{Contact}/{id}");

        await response.AssertStatusAsync(HttpStatusCode.NoContent);
        await (await admin.Client.GetAsync($"{Contact}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_by_a_moderator_is_403_and_the_ticket_stays()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var id = await NewTicketAsync();

        await (await moderator.Client.DeleteAsync($"{Contact}/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        await GetAsync(moderator, id);
    }

    [Fact]
    public async Task Delete_of_an_unknown_id_is_404()
    {
        var admin = await app.CreateUserAsync("admin");

        await (await admin.Client.DeleteAsync($"{Contact}/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- GET /{id}/history ----------------------------------------------------------------------

    private static void AssertChange(JsonNode entry, string field, string? from, string? to)
    {
        var change = entry["changes"]?[field];
        Assert.True(change is JsonArray { Count: 2 }, $"no change of {field} in {entry.ToJsonString()}");
        Assert.Equal(from, (string?)change[0]);
        Assert.Equal(to, (string?)change[1]);
    }

    private static void AssertActor(TestUser expected, JsonNode entry)
    {
        var actor = entry["actor"];
        Assert.NotNull(actor);
        Assert.Equal(expected.Id, actor.IdOf());
        Assert.Equal(expected.Name, (string)actor["name"]!);
    }

    [Fact]
    public async Task History_lists_every_change_oldest_first_with_its_actor()
    {
        var moderator = await app.CreateUserAsync("moderator", name: "Mo Derator");
        var id = await NewTicketAsync();
        await moderator.Client.ActOkAsync(id, "assign-to-me");
        await PatchOkAsync(moderator, id, new { category = "bug", admin_notes = "Looks like a bug." });
        await moderator.Client.ActOkAsync(id, "mark-resolved");
        await moderator.Client.ActOkAsync(id, "archive");
        await moderator.Client.ActOkAsync(id, "restore");

        var history = await (await moderator.Client.GetAsync($"{Contact}/{id}/history")).ReadArrayAsync();

        Assert.Equal(6, history.Count);
        Assert.All(history, e => Assert.Equal(["action", "actor", "at", "changes"], e!.AsObject().Select(p => p.Key).Order()));
        Assert.All(history, e => Assert.EndsWith("Z", (string)e!["at"]!));
        var times = history.Select(e => DateTimeOffset.Parse((string)e!["at"]!)).ToList();
        Assert.Equal(times.Order(), times);

        var (created, assigned, patched, resolved, archived, restored) = (history[0]!, history[1]!, history[2]!, history[3]!, history[4]!, history[5]!);
        Assert.Equal("created", (string)created["action"]!);
        Assert.Null(created["actor"]);
        AssertChange(created, "status", null, "pending");

        AssertActor(moderator, assigned);
        AssertChange(assigned, "assigned_to_id", null, moderator.Id.ToString());
        AssertChange(assigned, "status", "pending", "in_progress");

        AssertActor(moderator, patched);
        AssertChange(patched, "category", "general", "bug");
        AssertChange(patched, "admin_notes", null, "Looks like a bug.");

        Assert.Equal("resolved", (string)resolved["action"]!);
        AssertActor(moderator, resolved);
        AssertChange(resolved, "status", "in_progress", "resolved");

        Assert.Equal("archived", (string)archived["action"]!);
        AssertChange(archived, "status", "resolved", "archived");

        Assert.Equal("restored", (string)restored["action"]!);
        AssertActor(moderator, restored);
        AssertChange(restored, "status", "archived", "resolved");
    }

    [Fact]
    public async Task History_is_kept_after_the_ticket_is_deleted_and_ends_with_the_deletion()
    {
        var admin = await app.CreateUserAsync("admin");
        var id = await NewTicketAsync();
        await admin.Client.ActOkAsync(id, "archive");
        await (await admin.Client.DeleteAsync($"{Contact}/{id}")).AssertStatusAsync(HttpStatusCode.NoContent);

        var response = await admin.Client.GetAsync($"{Contact}/{id}/history");

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var history = await response.ReadArrayAsync();
        Assert.Equal(["created", "archived", "deleted"], history.Select(e => (string)e!["action"]!));
        AssertActor(admin, history[2]!);
    }

    [Fact]
    public async Task History_of_an_unknown_id_is_404()
    {
        var moderator = await app.CreateUserAsync("moderator");

        await (await moderator.Client.GetAsync($"{Contact}/{Guid.NewGuid()}/history")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class TicketWorkflowTestsOnSqlite(SqliteApp app) : TicketWorkflowTests(app), IClassFixture<SqliteApp>;

public sealed class TicketWorkflowTestsOnPostgres(PostgresApp app) : TicketWorkflowTests(app), IClassFixture<PostgresApp>;
