using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>The moderators' queue: GET /, GET /{id}, GET /by-ticket/{number}, the CSV export and the stats.</summary>
public abstract class QueueTests(ContactDeskApp app)
{
    private static readonly string[] TicketFields =
    [
        "id", "ticket_number", "name", "email", "subject", "message", "category", "status", "user_id", "assigned_to",
        "resolved_by", "admin_notes", "resolution_notes", "created_at", "updated_at", "resolved_at",
        "waiting_on", "message_count", "first_response_at", "last_message_at", "priority", "tags", "sla",
    ];

    private Task<HttpClient> ModeratorAsync() => app.ClientForAsync("moderator");

    /// <summary>Submits <paramref name="count"/> tickets whose subjects contain <paramref name="word"/>, oldest first.</summary>
    private async Task<List<Guid>> SubmitManyAsync(string word, int count, string category = "general")
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await app.SubmitAsync(subject: $"{word} number {i}", category: category)).IdOf());
        }
        return ids;
    }

    private static DateTimeOffset Time(JsonNode? value) => DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // ---- GET / : envelope, ordering -------------------------------------------------------------

    [Fact]
    public async Task List_returns_items_total_page_page_size_and_total_pages()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        await SubmitManyAsync(word, 3);

        var page = await moderator.GetObjectAsync($"{Contact}/?search={word}&page_size=2");

        Assert.Equal(["items", "page", "page_size", "total", "total_is_exact", "total_pages"], page.Select(p => p.Key).Order());
        Assert.Equal(3, (int)page["total"]!);
        Assert.True((bool)page["total_is_exact"]!);
        Assert.Equal(1, (int)page["page"]!);
        Assert.Equal(2, (int)page["page_size"]!);
        Assert.Equal(2, (int)page["total_pages"]!);
        var items = page["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal(TicketFields.Order(), items[0]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task List_defaults_to_page_1_of_20()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        await SubmitManyAsync(word, 1);

        var page = await moderator.GetObjectAsync($"{Contact}/?search={word}");

        Assert.Equal(1, (int)page["page"]!);
        Assert.Equal(20, (int)page["page_size"]!);
        Assert.Equal(1, (int)page["total_pages"]!);
    }

    [Fact]
    public async Task Default_ordering_is_newest_created_first()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 3);
        ids.Reverse();

        Assert.Equal(ids, await moderator.ListIdsAsync($"search={word}"));
        Assert.Equal(ids, await moderator.ListIdsAsync($"search={word}&ordering=-created_at"));
    }

    [Fact]
    public async Task Ordering_created_at_is_oldest_first()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 3);

        Assert.Equal(ids, await moderator.ListIdsAsync($"search={word}&ordering=created_at"));
    }

    [Fact]
    public async Task Ordering_by_updated_at_follows_the_last_change()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 3);
        await (await moderator.PatchJsonAsync(ids[0], new { admin_notes = "touched last" })).AssertStatusAsync(HttpStatusCode.OK);

        Assert.Equal([ids[1], ids[2], ids[0]], await moderator.ListIdsAsync($"search={word}&ordering=updated_at"));
        Assert.Equal([ids[0], ids[2], ids[1]], await moderator.ListIdsAsync($"search={word}&ordering=-updated_at"));
    }

    // ---- GET / : filters ------------------------------------------------------------------------

    [Fact]
    public async Task Status_filter_takes_one_status_or_a_comma_list()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 3);
        var (pending, started, resolved) = (ids[0], ids[1], ids[2]);
        await moderator.ActOkAsync(started, "assign-to-me");
        await moderator.ActOkAsync(resolved, "mark-resolved");

        Assert.Equal([pending], await moderator.ListIdsAsync($"search={word}&status=pending"));
        Assert.Equal([started], await moderator.ListIdsAsync($"search={word}&status=in_progress"));
        Assert.Equal([resolved], await moderator.ListIdsAsync($"search={word}&status=resolved"));
        Assert.Equal([pending, resolved], await moderator.ListIdsAsync($"search={word}&status=pending,resolved&ordering=created_at"));
    }

    [Fact]
    public async Task Category_filter_keeps_only_that_category_or_those_listed()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var bug = (await SubmitManyAsync(word, 1, "bug"))[0];
        var feature = (await SubmitManyAsync(word, 1, "feature"))[0];

        Assert.Equal([bug], await moderator.ListIdsAsync($"search={word}&category=bug"));
        Assert.Equal([feature], await moderator.ListIdsAsync($"search={word}&category=feature"));
        Assert.Empty(await moderator.ListIdsAsync($"search={word}&category=abuse"));
        Assert.Equal([bug, feature], await moderator.ListIdsAsync($"search={word}&category=feature,bug&ordering=created_at"));
    }

    [Fact]
    public async Task Assigned_to_takes_me_none_or_a_user_id()
    {
        var me = await app.CreateUserAsync("moderator");
        var other = await app.CreateUserAsync("moderator");
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 3);
        await me.Client.ActOkAsync(ids[0], "assign-to-me");
        await other.Client.ActOkAsync(ids[1], "assign-to-me");

        Assert.Equal([ids[0]], await me.Client.ListIdsAsync($"search={word}&assigned_to=me"));
        Assert.Equal([ids[1]], await other.Client.ListIdsAsync($"search={word}&assigned_to=me"));
        Assert.Equal([ids[2]], await me.Client.ListIdsAsync($"search={word}&assigned_to=none"));
        Assert.Equal([ids[1]], await me.Client.ListIdsAsync($"search={word}&assigned_to={other.Id}"));
    }

    [Fact]
    public async Task Search_is_case_insensitive_in_ticket_number_name_email_subject_and_message()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var inName = await app.SubmitAsync(name: $"Ann {word.ToUpperInvariant()}");
        var inEmail = await app.SubmitAsync(email: $"{word}@example.com");
        var inSubject = await app.SubmitAsync(subject: $"About {word.ToUpperInvariant()} again");
        var inMessage = await app.SubmitAsync(message: $"Please look at {word}, thanks");
        await app.SubmitAsync(subject: UniqueWord());

        var found = await moderator.ListIdsAsync($"search={word[..6].ToLowerInvariant()}{word[6..].ToUpperInvariant()}&ordering=created_at");
        Assert.Equal([inName.IdOf(), inEmail.IdOf(), inSubject.IdOf(), inMessage.IdOf()], found);

        var number = (string)inMessage["ticket_number"]!;
        Assert.Equal([inMessage.IdOf()], await moderator.ListIdsAsync($"search={number}"));
        Assert.Equal([inMessage.IdOf()], await moderator.ListIdsAsync($"search={number.ToLowerInvariant()}"));
    }

    [Theory]
    [InlineData("100%", "1000")]
    [InlineData("_a", "xa")]
    [InlineData("%", "x")]
    [InlineData(@"\x", "x")]
    public async Task Search_with_percent_or_underscore_is_literal(string literal, string lookalike)
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var match = await app.SubmitAsync(subject: $"{word}{literal} sure");
        await app.SubmitAsync(subject: $"{word}{lookalike} sure");

        Assert.Equal([match.IdOf()], await moderator.ListIdsAsync($"search={Uri.EscapeDataString(word + literal)}"));
    }

    [Fact]
    public async Task Created_after_and_created_before_filter_by_creation_time()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 3);
        var created = new List<DateTimeOffset>();
        foreach (var id in ids)
        {
            created.Add(Time((await moderator.GetObjectAsync($"{Contact}/{id}"))["created_at"]));
        }
        var between1And2 = Iso(created[0] + (created[1] - created[0]) / 2);
        var between2And3 = Iso(created[1] + (created[2] - created[1]) / 2);
        var query = $"search={word}&ordering=created_at";

        Assert.Equal([ids[1], ids[2]], await moderator.ListIdsAsync($"{query}&created_after={between1And2}"));
        Assert.Equal([ids[0], ids[1]], await moderator.ListIdsAsync($"{query}&created_before={between2And3}"));
        Assert.Equal([ids[1]], await moderator.ListIdsAsync($"{query}&created_after={between1And2}&created_before={between2And3}"));
        // As documented in the README: created_after is inclusive, created_before exclusive.
        Assert.Equal([ids[1], ids[2]], await moderator.ListIdsAsync($"{query}&created_after={Iso(created[1])}"));
        Assert.Equal([ids[0]], await moderator.ListIdsAsync($"{query}&created_before={Iso(created[1])}"));
        Assert.Equal(ids, await moderator.ListIdsAsync($"{query}&created_after=2000-01-01"));
        Assert.Empty(await moderator.ListIdsAsync($"{query}&created_before=2000-01-01"));
    }

    [Fact]
    public async Task Archived_tickets_are_left_out_unless_status_names_archived()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 2);
        await moderator.ActOkAsync(ids[0], "archive");
        var query = $"search={word}&ordering=created_at";

        Assert.Equal([ids[1]], await moderator.ListIdsAsync(query));
        Assert.Equal([ids[0]], await moderator.ListIdsAsync($"{query}&status=archived"));
        Assert.Equal(ids, await moderator.ListIdsAsync($"{query}&status=pending,archived"));
    }

    // ---- GET / : pagination and bad parameters --------------------------------------------------

    [Fact]
    public async Task Page_and_page_size_slice_the_results_and_a_page_past_the_end_is_empty()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 5);
        var query = $"search={word}&ordering=created_at&page_size=2";

        Assert.Equal(ids[..2], await moderator.ListIdsAsync($"{query}&page=1"));
        Assert.Equal(ids[2..4], await moderator.ListIdsAsync($"{query}&page=2"));
        Assert.Equal(ids[4..], await moderator.ListIdsAsync($"{query}&page=3"));

        var beyond = await moderator.GetObjectAsync($"{Contact}/?{query}&page=4");
        Assert.Empty(beyond["items"]!.AsArray());
        Assert.Equal(5, (int)beyond["total"]!);
        Assert.Equal(4, (int)beyond["page"]!);
        Assert.Equal(3, (int)beyond["total_pages"]!);

        Assert.Equal(ids, await moderator.ListIdsAsync($"search={word}&ordering=created_at&page_size=100"));
        Assert.Equal(ids[..1], await moderator.ListIdsAsync($"search={word}&ordering=created_at&page_size=1"));
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("status=pending,bogus", "status")]
    [InlineData("category=x", "category")]
    [InlineData("assigned_to=x", "assigned_to")]
    [InlineData("ordering=x", "ordering")]
    [InlineData("ordering=subject", "ordering")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("page_size=0", "page_size")]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page_size=abc", "page_size")]
    [InlineData("created_after=notadate", "created_after")]
    [InlineData("created_before=notadate", "created_before")]
    public async Task A_bad_query_parameter_is_400_naming_it(string query, string field)
    {
        var moderator = await ModeratorAsync();

        await (await moderator.GetAsync($"{Contact}/?{query}")).AssertValidationErrorAsync(field);
    }

    // ---- GET /{id}, GET /by-ticket/{number} -----------------------------------------------------

    [Fact]
    public async Task Get_by_id_returns_the_ticket_with_an_ETag()
    {
        var moderator = await ModeratorAsync();
        var submitted = await app.SubmitAsync(subject: "Where is my parcel?", message: "It did not arrive.", category: "account",
            name: "Pat Parcel", email: "pat@example.com");

        var response = await moderator.GetAsync($"{Contact}/{submitted.IdOf()}");

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.NotNull(response.Headers.ETag);
        var ticket = await response.ReadObjectAsync();
        Assert.Equal(TicketFields.Order(), ticket.Select(p => p.Key).Order());
        Assert.Equal(submitted.IdOf(), ticket.IdOf());
        Assert.Equal((string)submitted["ticket_number"]!, (string)ticket["ticket_number"]!);
        Assert.Matches(@"^CONT-\d{8}-\d{4,}$", (string)ticket["ticket_number"]!);
        Assert.Equal("Pat Parcel", (string)ticket["name"]!);
        Assert.Equal("pat@example.com", (string)ticket["email"]!);
        Assert.Equal("Where is my parcel?", (string)ticket["subject"]!);
        Assert.Equal("It did not arrive.", (string)ticket["message"]!);
        Assert.Equal("account", (string)ticket["category"]!);
        Assert.Equal("pending", (string)ticket["status"]!);
        Assert.Null(ticket["assigned_to"]);
        Assert.Null(ticket["resolved_by"]);
        Assert.Null(ticket["resolved_at"]);
        Assert.EndsWith("Z", (string)ticket["created_at"]!);
        Assert.EndsWith("Z", (string)ticket["updated_at"]!);
    }

    [Fact]
    public async Task Get_by_ticket_number_returns_the_same_ticket_with_an_ETag()
    {
        var moderator = await ModeratorAsync();
        var submitted = await app.SubmitAsync();
        var byId = await moderator.GetAsync($"{Contact}/{submitted.IdOf()}");

        var response = await moderator.GetAsync($"{Contact}/by-ticket/{submitted["ticket_number"]}");

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(byId.Headers.ETag, response.Headers.ETag);
        Assert.Equal((await byId.ReadObjectAsync()).ToJsonString(), (await response.ReadObjectAsync()).ToJsonString());
    }

    [Fact]
    public async Task An_unknown_id_or_ticket_number_is_404_problem()
    {
        var moderator = await ModeratorAsync();

        await (await moderator.GetAsync($"{Contact}/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await moderator.GetAsync($"{Contact}/by-ticket/CONT-19990101-0001")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- GET /export.csv ------------------------------------------------------------------------

    private async Task<List<string[]>> ExportAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"{Contact}/export.csv?{query}");
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return ParseCsv(await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> Row(string[] header, string[] row)
    {
        Assert.Equal(header.Length, row.Length);
        return header.Zip(row).ToDictionary(p => p.First, p => p.Second);
    }

    [Fact]
    public async Task Export_csv_is_text_csv_with_a_header_row_and_only_the_filtered_rows()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var bugs = await SubmitManyAsync(word, 2, "bug");
        await SubmitManyAsync(word, 1, "feature");
        await SubmitManyAsync(UniqueWord(), 1, "bug");

        var csv = await ExportAsync(moderator, $"search={word}&category=bug&ordering=created_at");

        var header = csv[0];
        foreach (var column in new[] { "id", "ticket_number", "status", "category", "name", "email", "subject", "message", "created_at" })
        {
            Assert.Contains(column, header);
        }
        var rows = csv.Skip(1).Select(r => Row(header, r)).ToList();
        Assert.Equal(bugs, rows.Select(r => Guid.Parse(r["id"])));
        Assert.All(rows, r => Assert.Equal("bug", r["category"]));
        Assert.All(rows, r => Assert.Contains(word, r["subject"]));
    }

    [Fact]
    public async Task Export_csv_is_not_paginated_and_leaves_archived_out_unless_asked()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var ids = await SubmitManyAsync(word, 3);
        await moderator.ActOkAsync(ids[0], "archive");

        var open = await ExportAsync(moderator, $"search={word}&ordering=created_at&page_size=1");
        var archived = await ExportAsync(moderator, $"search={word}&status=archived");

        Assert.Equal(ids[1..], open.Skip(1).Select(r => Guid.Parse(Row(open[0], r)["id"])));
        Assert.Equal([ids[0]], archived.Skip(1).Select(r => Guid.Parse(Row(archived[0], r)["id"])));
    }

    [Fact]
    public async Task Export_csv_round_trips_commas_quotes_and_line_breaks()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        const string message = "Hello, \"desk\",\nsecond line; with, commas\r\nand \"\"double\"\" quotes, end";
        var ticket = await app.SubmitAsync(subject: $"{word}, \"quoted\" subject", message: message, name: "O'Brien, Pat");

        var csv = await ExportAsync(moderator, $"search={word}");

        Assert.Equal(2, csv.Count);
        var row = Row(csv[0], csv[1]);
        Assert.Equal(message, row["message"]);
        Assert.Equal((string)ticket["message"]!, row["message"]);
        Assert.Equal($"{word}, \"quoted\" subject", row["subject"]);
        Assert.Equal("O'Brien, Pat", row["name"]);
        Assert.Equal((string)ticket["ticket_number"]!, row["ticket_number"]);
    }

    [Fact]
    public async Task Export_csv_does_not_leave_a_formula_in_a_cell()
    {
        var moderator = await ModeratorAsync();
        var word = UniqueWord();
        var formula = await app.SubmitAsync(subject: $"={word}", message: "=HYPERLINK(\"http://evil.example\",\"click\")", name: "@SUM(A1:A9)");
        await app.SubmitAsync(subject: $"+{word}", message: "+1+2", name: "-3+4");
        await (await moderator.PatchJsonAsync(formula.IdOf(), new { admin_notes = "=cmd|' /C calc'!A0" })).AssertStatusAsync(HttpStatusCode.OK);

        var csv = await ExportAsync(moderator, $"search={word}");

        Assert.Equal(3, csv.Count);
        foreach (var row in csv.Skip(1).Select(r => Row(csv[0], r)))
        {
            foreach (var cell in new[] { row["message"], row["name"], row["subject"], row["admin_notes"] })
            {
                Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0]), $"the cell '{cell}' would run as a formula");
            }
        }
        Assert.Contains(csv.Skip(1), r => Row(csv[0], r)["message"].Contains("HYPERLINK(\"http://evil.example\",\"click\")"));
    }

    [Fact]
    public async Task Export_csv_with_a_bad_filter_is_400()
    {
        var moderator = await ModeratorAsync();

        await (await moderator.GetAsync($"{Contact}/export.csv?status=bogus")).AssertValidationErrorAsync("status");
        await (await moderator.GetAsync($"{Contact}/export.csv?created_after=notadate")).AssertValidationErrorAsync("created_after");
    }

    // ---- GET /stats/overview --------------------------------------------------------------------

    [Fact]
    public async Task Stats_overview_has_every_status_and_category_key()
    {
        var moderator = await ModeratorAsync();
        await app.SubmitAsync();

        var stats = await moderator.GetObjectAsync($"{Contact}/stats/overview");

        Assert.Equal(["archived", "in_progress", "pending", "resolved"], stats["by_status"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(["abuse", "account", "bug", "data", "feature", "general", "other"],
            stats["by_category"]!.AsObject().Select(p => p.Key).Order());
        foreach (var key in new[] { "total", "unassigned_open", "created_today", "created_last_7_days" })
        {
            Assert.True((int)stats[key]! >= 1, $"{key} is {stats[key]}");
        }
        Assert.Equal((int)stats["total"]!, stats["by_status"]!.AsObject().Sum(p => (int)p.Value!));
        Assert.Equal((int)stats["total"]!, stats["by_category"]!.AsObject().Sum(p => (int)p.Value!));
        Assert.True(stats.ContainsKey("avg_resolution_hours"));
        Assert.True(stats["avg_resolution_hours"] is null || stats["avg_resolution_hours"]!.GetValueKind() == System.Text.Json.JsonValueKind.Number);
    }

    [Fact]
    public async Task Stats_overview_counts_move_as_tickets_are_created_assigned_resolved_and_archived()
    {
        var moderator = await ModeratorAsync();
        var before = await moderator.GetObjectAsync($"{Contact}/stats/overview");

        var bug = (await app.SubmitAsync(category: "bug")).IdOf();
        var feature = (await app.SubmitAsync(category: "feature")).IdOf();
        var data = (await app.SubmitAsync(category: "data")).IdOf();
        var created = await moderator.GetObjectAsync($"{Contact}/stats/overview");
        AssertDeltas(before, created, total: 3, pending: 3, unassignedOpen: 3, createdToday: 3, bug: 1, feature: 1, data: 1);

        await moderator.ActOkAsync(bug, "mark-resolved");
        await moderator.ActOkAsync(feature, "archive");
        await moderator.ActOkAsync(data, "assign-to-me");
        var after = await moderator.GetObjectAsync($"{Contact}/stats/overview");
        AssertDeltas(created, after, pending: -3, inProgress: 1, resolved: 1, archived: 1, unassignedOpen: -3);
        Assert.True((double)after["avg_resolution_hours"]! >= 0);
    }

    private static void AssertDeltas(JsonObject before, JsonObject after, int total = 0, int pending = 0, int inProgress = 0,
        int resolved = 0, int archived = 0, int unassignedOpen = 0, int createdToday = 0, int bug = 0, int feature = 0, int data = 0)
    {
        int Delta(Func<JsonObject, JsonNode?> at) => (int)at(after)! - (int)at(before)!;
        Assert.Equal(total, Delta(s => s["total"]));
        Assert.Equal(pending, Delta(s => s["by_status"]!["pending"]));
        Assert.Equal(inProgress, Delta(s => s["by_status"]!["in_progress"]));
        Assert.Equal(resolved, Delta(s => s["by_status"]!["resolved"]));
        Assert.Equal(archived, Delta(s => s["by_status"]!["archived"]));
        Assert.Equal(unassignedOpen, Delta(s => s["unassigned_open"]));
        Assert.Equal(createdToday, Delta(s => s["created_today"]));
        Assert.Equal(createdToday, Delta(s => s["created_last_7_days"]));
        Assert.Equal(bug, Delta(s => s["by_category"]!["bug"]));
        Assert.Equal(feature, Delta(s => s["by_category"]!["feature"]));
        Assert.Equal(data, Delta(s => s["by_category"]!["data"]));
        Assert.Equal(0, Delta(s => s["by_category"]!["abuse"]));
    }
}

public sealed class QueueTestsOnSqlite(SqliteApp app) : QueueTests(app), IClassFixture<SqliteApp>;

public sealed class QueueTestsOnPostgres(PostgresApp app) : QueueTests(app), IClassFixture<PostgresApp>;
