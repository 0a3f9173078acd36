using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>Ticket priority: PATCH, bulk set_priority, the priority filter, ordering=-priority, CSV and history.</summary>
public abstract class PriorityTests(ContactDeskApp app)
{
    private async Task<(HttpClient Moderator, string Word, Dictionary<string, Guid> Ids)> TicketsAsync(params string[] names)
    {
        var moderator = await app.ClientForAsync("moderator");
        var word = UniqueWord();
        var ids = new Dictionary<string, Guid>();
        foreach (var name in names)
        {
            ids[name] = (await app.SubmitAsync(subject: $"{name} {word}")).IdOf();
        }
        return (moderator, word, ids);
    }

    private static async Task SetAsync(HttpClient moderator, Guid id, string priority)
    {
        var response = await moderator.PatchJsonAsync(id, new { priority });
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(priority, (string?)(await response.ReadObjectAsync())["priority"]);
    }

    [Fact]
    public async Task A_new_ticket_is_normal_and_PATCH_changes_the_priority_with_a_history_entry()
    {
        var (moderator, _, ids) = await TicketsAsync("ticket");
        var id = ids["ticket"];
        Assert.Equal("normal", (string?)(await moderator.GetObjectAsync($"{Contact}/{id}"))["priority"]);

        await SetAsync(moderator, id, "urgent");

        Assert.Equal("urgent", (string?)(await moderator.GetObjectAsync($"{Contact}/{id}"))["priority"]);
        var history = await (await moderator.GetAsync($"{Contact}/{id}/history")).ReadArrayAsync();
        var change = history[^1]!["changes"]!["priority"]!.AsArray();
        Assert.Equal(["normal", "urgent"], change.Select(v => (string?)v));
    }

    [Theory]
    [InlineData("\"critical\"")]
    [InlineData("\"\"")]
    [InlineData("3")]
    [InlineData("null")]
    public async Task PATCH_with_a_priority_that_is_not_one_of_the_four_is_400_naming_it(string value)
    {
        var (moderator, _, ids) = await TicketsAsync("ticket");

        var response = await moderator.PatchRawAsync(ids["ticket"], $$"""{"priority": {{value}}}""");

        await response.AssertValidationErrorAsync("priority");
        Assert.Equal("normal", (string?)(await moderator.GetObjectAsync($"{Contact}/{ids["ticket"]}"))["priority"]);
    }

    [Fact]
    public async Task Bulk_set_priority_changes_every_ticket_and_skips_those_already_there()
    {
        var (moderator, word, ids) = await TicketsAsync("a", "b", "c");
        await SetAsync(moderator, ids["c"], "high");

        var response = await moderator.PostAsJsonAsync($"{Contact}/bulk", new { ids = ids.Values, action = "set_priority", priority = "high" });

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var result = await response.ReadObjectAsync();
        Assert.Equal(2, (int)result["updated"]!);
        Assert.Equal(1, (int)result["skipped"]!);
        var page = await moderator.GetObjectAsync($"{Contact}/?search={word}&priority=high");
        Assert.Equal(3, (int)page["total"]!);
    }

    [Theory]
    [InlineData("""{"action": "set_priority"}""")]
    [InlineData("""{"action": "set_priority", "priority": "soon"}""")]
    public async Task Bulk_set_priority_without_a_valid_priority_is_400_naming_it(string fields)
    {
        var (moderator, _, ids) = await TicketsAsync("a");
        var body = fields.Replace("{\"action\"", $"{{\"ids\": [\"{ids["a"]}\"], \"action\"");

        var response = await moderator.PostAsync($"{Contact}/bulk", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.AssertValidationErrorAsync("priority");
    }

    [Fact]
    public async Task The_priority_filter_takes_one_priority_or_a_comma_list_and_counts_them()
    {
        var (moderator, word, ids) = await TicketsAsync("low", "normal", "high", "urgent");
        await SetAsync(moderator, ids["low"], "low");
        await SetAsync(moderator, ids["high"], "high");
        await SetAsync(moderator, ids["urgent"], "urgent");

        Assert.Equal([ids["normal"]], await moderator.ListIdsAsync($"search={word}&priority=normal"));
        Assert.Equal([ids["urgent"], ids["high"]], await moderator.ListIdsAsync($"search={word}&priority=high,urgent"));
        // Without a search the total comes from the tallies unless a filter they do not know is used.
        var all = (int)(await moderator.GetObjectAsync($"{Contact}/"))["total"]!;
        var urgent = await moderator.GetObjectAsync($"{Contact}/?priority=urgent&page_size=100");
        Assert.True((int)urgent["total"]! < all);
        Assert.Equal((int)urgent["total"]!, urgent["items"]!.AsArray().Count);
        Assert.All(urgent["items"]!.AsArray(), t => Assert.Equal("urgent", (string?)t!["priority"]));
    }

    [Fact]
    public async Task Ordering_minus_priority_puts_urgent_first_then_newest_first()
    {
        var (moderator, word, ids) = await TicketsAsync("old-urgent", "low", "normal", "new-urgent", "high");
        await SetAsync(moderator, ids["old-urgent"], "urgent");
        await SetAsync(moderator, ids["new-urgent"], "urgent");
        await SetAsync(moderator, ids["low"], "low");
        await SetAsync(moderator, ids["high"], "high");

        Assert.Equal(
            [ids["new-urgent"], ids["old-urgent"], ids["high"], ids["normal"], ids["low"]],
            await moderator.ListIdsAsync($"search={word}&ordering=-priority"));
    }

    [Theory]
    [InlineData("priority=highest", "priority")]
    [InlineData("ordering=priority", "ordering")]
    public async Task A_bad_priority_filter_or_ordering_is_400_naming_it(string query, string field)
    {
        var moderator = await app.ClientForAsync("moderator");

        await (await moderator.GetAsync($"{Contact}/?{query}")).AssertValidationErrorAsync(field);
    }

    [Fact]
    public async Task The_CSV_export_has_a_priority_column_and_takes_the_filter()
    {
        var (moderator, word, ids) = await TicketsAsync("a", "b");
        await SetAsync(moderator, ids["b"], "high");

        var rows = ParseCsv(await moderator.GetStringAsync($"{Contact}/export.csv?search={word}&priority=high"));

        var priority = Array.IndexOf(rows[0], "priority");
        Assert.True(priority >= 0, string.Join(",", rows[0]));
        Assert.Equal(2, rows.Count);
        Assert.Equal("high", rows[1][priority]);
        Assert.Equal(ids["b"].ToString(), rows[1][Array.IndexOf(rows[0], "id")]);
    }
}

public sealed class PriorityTestsOnSqlite(SqliteApp app) : PriorityTests(app), IClassFixture<SqliteApp>;

public sealed class PriorityTestsOnPostgres(PostgresApp app) : PriorityTests(app), IClassFixture<PostgresApp>;
