using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>Contract section 10, tags: normalized names, PATCH and bulk, the all-of filter, autocomplete, rename with merge.</summary>
public abstract class TagTests(ContactDeskApp app)
{
    [Fact]
    public async Task Tags_are_trimmed_lower_cased_sorted_and_stored_once()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        Assert.Empty(ticket["tags"]!.AsArray());
        var w = Word();

        var patched = await PatchOkAsync(moderator, ticket.IdOf(), new { tags = new[] { $"  {w}-Zeta ", $"{w}.alpha", $"{w}-ZETA", $"{w}_b" } });

        Assert.Equal([$"{w}-zeta", $"{w}.alpha", $"{w}_b"], Tags(patched));
        Assert.Equal(Tags(patched), Tags(await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}")));
        Assert.Equal(3, await app.QueryAsync(db => db.TicketTags.CountAsync(l => l.TicketId == ticket.IdOf())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("semi;colon")]
    [InlineData("a-tag-that-is-far-too-long-for-the-forty-limit")]
    public async Task An_invalid_tag_is_a_400_field_error_and_changes_nothing(string tag)
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();

        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { tags = new[] { "fine", tag } }), "tags");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync($"{Contact}/bulk",
            new { ids = new[] { ticket.IdOf() }, action = "add_tag", tag }), "tag");
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.GetAsync($"{Contact}/?tag=fine,{Uri.EscapeDataString(tag)}x!"), "tag");
        Assert.Empty(Tags(await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}")));
    }

    [Fact]
    public async Task Patch_replaces_the_tags_and_the_history_records_each_change()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ticket = await app.SubmitAsync();
        var w = Word();

        await PatchOkAsync(moderator, ticket.IdOf(), new { tags = new[] { $"{w}-a", $"{w}-b" } });
        var replaced = await PatchOkAsync(moderator, ticket.IdOf(), new { tags = new[] { $"{w}-c" } });
        await PatchOkAsync(moderator, ticket.IdOf(), new { tags = Array.Empty<string>() });

        Assert.Equal([$"{w}-c"], Tags(replaced));
        var changes = (await HistoryAsync(moderator, ticket.IdOf())).Select(e => e["changes"]!["tags"]).Where(c => c is not null).ToList();
        Assert.Equal(3, changes.Count);
        Assert.Equal(["", $"{w}-a {w}-b"], Pair(changes[0]));
        Assert.Equal([$"{w}-a {w}-b", $"{w}-c"], Pair(changes[1]));
        Assert.Equal([$"{w}-c", ""], Pair(changes[2]));
        Assert.Equal(0, await app.QueryAsync(db => db.TicketTags.CountAsync(l => l.TicketId == ticket.IdOf())));
    }

    [Fact]
    public async Task Bulk_adds_and_removes_one_tag_and_skips_tickets_already_so()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var ids = new[] { (await app.SubmitAsync()).IdOf(), (await app.SubmitAsync()).IdOf(), (await app.SubmitAsync()).IdOf() };
        var w = Word();
        await PatchOkAsync(moderator, ids[0], new { tags = new[] { $"{w}-vip" } });

        var added = await BulkAsync(moderator, ids, "add_tag", $" {w}-VIP ");
        Assert.Equal(2, (int)added["updated"]!);
        Assert.Equal(1, (int)added["skipped"]!);
        Assert.Equal(ids.Order(), (await moderator.Client.ListIdsAsync($"tag={w}-vip")).Order());

        var removed = await BulkAsync(moderator, ids[..2], "remove_tag", $"{w}-vip");
        Assert.Equal(2, (int)removed["updated"]!);
        Assert.Equal([ids[2]], await moderator.Client.ListIdsAsync($"tag={w}-vip"));
        await ResponseAssert.ValidationProblemAsync(await moderator.Client.PostAsJsonAsync($"{Contact}/bulk",
            new { ids, action = "add_tag" }), "tag");
    }

    [Fact]
    public async Task The_filter_finds_tickets_having_all_of_two_tags_in_the_list_and_the_export()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var w = Word();
        var both = (await app.SubmitAsync()).IdOf();
        var onlyA = (await app.SubmitAsync()).IdOf();
        var onlyB = (await app.SubmitAsync()).IdOf();
        var bothAndMore = (await app.SubmitAsync()).IdOf();
        await PatchOkAsync(moderator, both, new { tags = new[] { $"{w}-a", $"{w}-b" } });
        await PatchOkAsync(moderator, onlyA, new { tags = new[] { $"{w}-a" } });
        await PatchOkAsync(moderator, onlyB, new { tags = new[] { $"{w}-b", $"{w}-c" } });
        await PatchOkAsync(moderator, bothAndMore, new { tags = new[] { $"{w}-c", $"{w}-b", $"{w}-a" } });

        var page = await moderator.Client.GetObjectAsync($"{Contact}/?tag={w}-a,%20{w}-B");
        Assert.Equal(2, (int)page["total"]!);
        Assert.Equal(new[] { both, bothAndMore }.Order(), page["items"]!.AsArray().Select(t => t!.IdOf()).Order());
        Assert.Equal(3, (await moderator.Client.ListIdsAsync($"tag={w}-a")).Count);
        Assert.Empty(await moderator.Client.ListIdsAsync($"tag={w}-a,{w}-never-used"));

        var csv = await moderator.Client.GetStringAsync($"{Contact}/export.csv?tag={w}-a,{w}-b");
        Assert.Contains(both.ToString(), csv);
        Assert.Contains(bothAndMore.ToString(), csv);
        Assert.DoesNotContain(onlyA.ToString(), csv);
        Assert.DoesNotContain(onlyB.ToString(), csv);
    }

    [Fact]
    public async Task Autocomplete_lists_tags_by_prefix_with_their_ticket_counts()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var w = Word();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await app.SubmitAsync()).IdOf());
        }
        await PatchOkAsync(moderator, ids[0], new { tags = new[] { $"{w}-billing", $"{w}-bug" } });
        await PatchOkAsync(moderator, ids[1], new { tags = new[] { $"{w}-billing" } });
        await PatchOkAsync(moderator, ids[2], new { tags = new[] { $"{w}-billing", $"{w}-other" } });
        await PatchOkAsync(moderator, ids[2], new { tags = new[] { $"{w}-billing" } }); // "other" is no longer used

        var tags = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/tags?prefix={w.ToUpperInvariant()}-B");
        Assert.Equal([($"{w}-billing", 3), ($"{w}-bug", 1)], tags!.Select(t => ((string)t!["name"]!, (int)t["count"]!)).ToList());
        Assert.Empty((await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/tags?prefix={w}-o"))!);

        // A deleted ticket's tags no longer count.
        var admin = await app.CreateUserAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"{Contact}/{ids[0]}")).StatusCode);
        tags = await moderator.Client.GetFromJsonAsync<JsonArray>($"/api/v1/tags?prefix={w}-b");
        Assert.Equal([($"{w}-billing", 2)], tags!.Select(t => ((string)t!["name"]!, (int)t["count"]!)).ToList());

        var user = await app.CreateUserAsync(Roles.User);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.GetAsync("/api/v1/tags")).StatusCode);
    }

    [Fact]
    public async Task Rename_merges_into_an_existing_tag_keeping_every_ticket_s_tags_and_writing_history()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var w = Word();
        var onlyOld = (await app.SubmitAsync()).IdOf();
        var both = (await app.SubmitAsync()).IdOf();
        var onlyNew = (await app.SubmitAsync()).IdOf();
        var untouched = (await app.SubmitAsync()).IdOf();
        await PatchOkAsync(admin, onlyOld, new { tags = new[] { $"{w}-old", $"{w}-x" } });
        await PatchOkAsync(admin, both, new { tags = new[] { $"{w}-old", $"{w}-new" } });
        await PatchOkAsync(admin, onlyNew, new { tags = new[] { $"{w}-new", $"{w}-y" } });
        await PatchOkAsync(admin, untouched, new { tags = new[] { $"{w}-x" } });

        var response = await admin.Client.PostAsJsonAsync($"/api/v1/tags/{w}-old/rename", new { to = $" {w}-NEW " });
        var renamed = await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);

        Assert.Equal($"{w}-new", (string)renamed["name"]!);
        Assert.Equal(3, (int)renamed["count"]!);
        Assert.Equal([$"{w}-new", $"{w}-x"], Tags(await admin.Client.GetObjectAsync($"{Contact}/{onlyOld}")));
        Assert.Equal([$"{w}-new"], Tags(await admin.Client.GetObjectAsync($"{Contact}/{both}")));
        Assert.Equal([$"{w}-new", $"{w}-y"], Tags(await admin.Client.GetObjectAsync($"{Contact}/{onlyNew}")));
        Assert.Equal([$"{w}-x"], Tags(await admin.Client.GetObjectAsync($"{Contact}/{untouched}")));
        Assert.Equal(new[] { onlyOld, both, onlyNew }.Order(), (await admin.Client.ListIdsAsync($"tag={w}-new")).Order());
        Assert.Empty((await admin.Client.GetFromJsonAsync<JsonArray>($"/api/v1/tags?prefix={w}-old"))!);
        Assert.False(await app.QueryAsync(db => db.Tags.AnyAsync(t => t.Name == $"{w}-old")));

        // Each renamed ticket's history says so; the others have nothing new.
        Assert.Equal([$"{w}-old {w}-x", $"{w}-new {w}-x"], Pair(await LastTagChangeAsync(admin, onlyOld)));
        Assert.Equal([$"{w}-new {w}-old", $"{w}-new"], Pair(await LastTagChangeAsync(admin, both)));
        Assert.Single(await TagChangesAsync(admin, onlyNew));
        Assert.Single(await TagChangesAsync(admin, untouched));

        await ResponseAssert.ProblemAsync(await admin.Client.PostAsJsonAsync($"/api/v1/tags/{w}-old/rename", new { to = $"{w}-z" }), HttpStatusCode.NotFound);
        await ResponseAssert.ValidationProblemAsync(await admin.Client.PostAsJsonAsync($"/api/v1/tags/{w}-new/rename", new { to = "no good" }), "to");
    }

    [Fact]
    public async Task The_total_for_two_tags_follows_edits_renames_archiving_and_restoring()
    {
        // On PostgreSQL one or two tags are counted from tag_pair_counts, more from each ticket's tag ids.
        var admin = await app.CreateUserAsync(Roles.Admin);
        var w = Word();
        var first = (await app.SubmitAsync()).IdOf();
        var second = (await app.SubmitAsync()).IdOf();
        await PatchOkAsync(admin, first, new { tags = new[] { $"{w}-a", $"{w}-b" } });
        await PatchOkAsync(admin, second, new { tags = new[] { $"{w}-a", $"{w}-old" } });
        async Task<(int Unarchived, int Archived)> TotalsAsync() => (
            (int)(await admin.Client.GetObjectAsync($"{Contact}/?tag={w}-a,{w}-b"))["total"]!,
            (int)(await admin.Client.GetObjectAsync($"{Contact}/?tag={w}-a,{w}-b&status=archived"))["total"]!);
        Assert.Equal((1, 0), await TotalsAsync());

        await ResponseAssert.JsonAsync(await admin.Client.PostAsJsonAsync($"/api/v1/tags/{w}-old/rename", new { to = $"{w}-b" }), HttpStatusCode.OK);
        Assert.Equal((2, 0), await TotalsAsync());

        await admin.Client.ActOkAsync(first, "archive");
        Assert.Equal((1, 1), await TotalsAsync());
        await admin.Client.ActOkAsync(first, "restore");
        Assert.Equal((2, 0), await TotalsAsync());

        await PatchOkAsync(admin, first, new { tags = new[] { $"{w}-a" } });
        Assert.Equal((1, 0), await TotalsAsync());
        await PatchOkAsync(admin, second, new { tags = Array.Empty<string>() });
        Assert.Equal((0, 0), await TotalsAsync());
        Assert.Equal(1, (int)(await admin.Client.GetObjectAsync($"{Contact}/?tag={w}-a"))["total"]!);

        await PatchOkAsync(admin, second, new { tags = new[] { $"{w}-b", $"{w}-a", $"{w}-c" } });
        Assert.Equal((1, 0), await TotalsAsync());
        Assert.Equal(1, (int)(await admin.Client.GetObjectAsync($"{Contact}/?tag={w}-a,{w}-b,{w}-c"))["total"]!);
        Assert.Equal(1, (int)(await admin.Client.GetObjectAsync($"{Contact}/?tag={w}-a,{w}-b&status=pending"))["total"]!);
        await (await admin.Client.DeleteAsync($"{Contact}/{second}")).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal((0, 0), await TotalsAsync());
        Assert.Equal(1, (int)(await admin.Client.GetObjectAsync($"{Contact}/?tag={w}-a"))["total"]!);
    }

    [Fact]
    public async Task Only_admins_rename()
    {
        var moderator = await app.CreateUserAsync(Roles.Moderator);
        var w = Word();
        var ticket = (await app.SubmitAsync()).IdOf();
        await PatchOkAsync(moderator, ticket, new { tags = new[] { $"{w}-keep" } });

        var response = await moderator.Client.PostAsJsonAsync($"/api/v1/tags/{w}-keep/rename", new { to = $"{w}-other" });

        await ResponseAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal([$"{w}-keep"], Tags(await moderator.Client.GetObjectAsync($"{Contact}/{ticket}")));
    }

    /// <summary>A tag prefix no other test uses.</summary>
    private static string Word() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static List<string> Tags(JsonObject ticket) => ticket["tags"]!.AsArray().Select(t => (string)t!).ToList();

    private static List<string?> Pair(JsonNode? change) => change!.AsArray().Select(v => (string?)v).ToList();

    private static async Task<JsonObject> PatchOkAsync(TestUser user, Guid id, object body)
    {
        var response = await user.Client.PatchJsonAsync(id, body);
        return await ResponseAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private static async Task<JsonObject> BulkAsync(TestUser user, IEnumerable<Guid> ids, string action, string tag) =>
        await ResponseAssert.JsonAsync(await user.Client.PostAsJsonAsync($"{Contact}/bulk", new { ids, action, tag }), HttpStatusCode.OK);

    private static async Task<List<JsonObject>> HistoryAsync(TestUser user, Guid id) =>
        (await user.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{id}/history"))!.Select(e => e!.AsObject()).OrderBy(e => (DateTime)e["at"]!).ToList();

    private static async Task<List<JsonNode>> TagChangesAsync(TestUser user, Guid id) =>
        (await HistoryAsync(user, id)).Select(e => e["changes"]!["tags"]).OfType<JsonNode>().ToList();

    private static async Task<JsonNode> LastTagChangeAsync(TestUser user, Guid id) => (await TagChangesAsync(user, id))[^1];
}

public sealed class TagTestsOnSqlite(SqliteApp app) : TagTests(app), IClassFixture<SqliteApp>;

public sealed class TagTestsOnPostgres(PostgresApp app) : TagTests(app), IClassFixture<PostgresApp>;
