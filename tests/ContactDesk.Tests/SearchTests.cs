using ContactDesk.Data;
using ContactDesk.Moderation;
using Microsoft.EntityFrameworkCore;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Tickets;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// <c>search</c> finds a text anywhere in the ticket number, name, email, subject and message, as a
/// plain substring. PostgreSQL answers through a dictionary of whitespace-free tokens and an index
/// of them; these cases are where such a scheme could differ from a substring match: terms inside
/// tokens, across punctuation, across whitespace of each kind, and whitespace that is not a
/// separator.
/// </summary>
public abstract class SearchTests(ContactDeskApp app)
{
    [Fact]
    public async Task Search_finds_exactly_the_tickets_whose_text_contains_the_term()
    {
        var moderator = await app.ClientForAsync("moderator");
        var m = UniqueWord();
        string[] messages =
        [
            $"Refund for order#{m}99, please.",
            $"line one {m}alpha\nbeta{m} end",
            $"tab{m}\tsep and nbsp{m}\u00A0joined",
            $"status:pending{m}",
            $"UPPER{m.ToUpperInvariant()}CASE",
            $"100%{m} and under_{m}_score",
            $"crlf{m}\r\nnext\fform\vvertical",
            $"deliver{m}v every vivid {m}",
            $"reach me at {m}.smith@mail.example.com or {m}.smith@mail.example.org",
        ];
        var tickets = new List<(Guid Id, string Text)>();
        foreach (var message in messages)
        {
            var ticket = await app.SubmitAsync(subject: "Search case", message: message);
            tickets.Add((ticket.IdOf(), Ticket.BuildSearchText((string)ticket["ticket_number"]!, (string)ticket["name"]!,
                (string)ticket["email"]!, (string)ticket["subject"]!, (string)ticket["message"]!)));
        }
        string[] terms =
        [
            m, m[2..8], $"order#{m}", $"{m}99,", $"{m}alpha\nbeta{m}", $"{m}alpha beta", $"{m}alpha", $"tab{m}\tsep", $"tab{m} sep",
            $"nbsp{m}\u00A0joined", $"{m}\u00A0jo", $"status:pending{m}", $"upper{m}case", $"UPPER{m}", $"100%{m}", $"under_{m}_",
            $"0%{m[..4]}", $"{m}x", $"crlf{m}\r\nnext", $"{m}\r\nnext\fform\vvert", $"t\fform", "%" + m[..5], m[..5] + "_",
            $"ver{m}v", $"{m}v", $"vivid {m}", $"{m}\vvert",
            $"{m}.smith@mail.example.com", $"{m}.smith@mail.example.", $"h@mail.example.org", $"{m[3..]}.smith@mail",
        ];

        foreach (var term in terms)
        {
            var expected = tickets.Where(t => t.Text.Contains(term.ToLowerInvariant(), StringComparison.Ordinal)).Select(t => t.Id).Order().ToList();
            var page = await moderator.GetObjectAsync($"{Contact}/?search={Uri.EscapeDataString(term)}&page_size=100");
            var found = page["items"]!.AsArray().Select(t => t!.IdOf()).Order().ToList();
            Assert.True(expected.SequenceEqual(found), $"'{Escape(term)}': expected {expected.Count}, found {found.Count}");
            Assert.Equal(expected.Count, (int)page["total"]!);
        }
    }

    [Fact]
    public async Task Search_counts_and_lists_only_the_statuses_asked_for()
    {
        var moderator = await app.ClientForAsync("moderator");
        var m = UniqueWord();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await app.SubmitAsync(subject: $"Status {m} case {i}")).IdOf());
        }
        await moderator.ActOkAsync(ids[0], "archive");
        await moderator.ActOkAsync(ids[1], "mark-resolved");
        await moderator.ActOkAsync(ids[2], "assign-to-me");

        async Task AssertFound(string query, params Guid[] expected)
        {
            var page = await moderator.GetObjectAsync($"{Contact}/?search={m[1..]}&page_size=100{query}");
            Assert.Equal(expected.Order(), page["items"]!.AsArray().Select(t => t!.IdOf()).Order());
            Assert.Equal(expected.Length, (int)page["total"]!);
        }
        await AssertFound("", ids[1], ids[2], ids[3]);
        await AssertFound("&status=archived", ids[0]);
        await AssertFound("&status=pending", ids[3]);
        await AssertFound("&status=archived,in_progress", ids[0], ids[2]);
        await AssertFound("&status=pending,in_progress,resolved,archived", [.. ids]);
        await AssertFound("&status=resolved&category=bug");
        await AssertFound("&assigned_to=none", ids[1], ids[3]); // resolving does not assign
    }

    /// <summary>
    /// Submissions arriving together, each bringing words no ticket had (its number, its sender, new
    /// words shared among them, in different orders): every one is found by each of them as soon as
    /// it is answered. On PostgreSQL they race to add the same new words to the dictionary.
    /// </summary>
    [Fact]
    public async Task Concurrent_submissions_are_found_at_once_by_number_sender_and_shared_new_words()
    {
        var moderator = await app.ClientForAsync("moderator");
        var m = UniqueWord();
        string[] shared = [$"{m}a", $"{m}b", $"{m}c", $"{m}d"];
        var submitted = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => app.SubmitAsync(
            subject: $"Order {m}{i:D2}",
            message: string.Join(' ', i % 2 == 0 ? shared : shared.Reverse()),
            name: $"Quinn{m}{i:D2} Parker",
            email: $"quinn.{m}{i:D2}@mail.example.net")));

        async Task<List<Guid>> FoundAsync(string term)
        {
            var page = await moderator.GetObjectAsync($"{Contact}/?search={Uri.EscapeDataString(term)}&page_size=100");
            Assert.Equal(page["items"]!.AsArray().Count, (int)page["total"]!);
            return page["items"]!.AsArray().Select(t => t!.IdOf()).Order().ToList();
        }
        foreach (var (ticket, i) in submitted.Select((t, i) => (t, i)))
        {
            var id = ticket.IdOf();
            Assert.Equal([id], await FoundAsync((string)ticket["ticket_number"]!));
            Assert.Equal([id], await FoundAsync($"quinn.{m}{i:D2}@mail.example.net"));
            Assert.Equal([id], await FoundAsync($"{m[4..]}{i:D2} park"));
        }
        var all = submitted.Select(t => t.IdOf()).Order().ToList();
        foreach (var word in shared)
        {
            Assert.Equal(all, await FoundAsync(word.ToUpperInvariant()));
        }
    }

    /// <summary>
    /// A search counts its matches only up to <see cref="TicketCounts.SearchCountedUpTo"/>, or one
    /// page past the page asked for: above that the total is a lower bound, and the pages still
    /// lead to the last match. Every other total stays exact.
    /// </summary>
    [Fact]
    public async Task A_search_matching_more_than_it_counts_gives_a_lower_bound_and_pages_on_to_the_last_match()
    {
        var moderator = await app.ClientForAsync("moderator");
        var m = UniqueWord();
        var matches = TicketCounts.SearchCountedUpTo + 30;
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, matches), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => ids.Add((await app.SubmitAsync(subject: $"Bound {m} {i}", message: "A short message.")).IdOf()));

        async Task AssertPage(string query, int total, bool exact, int pages, int items)
        {
            var page = await moderator.GetObjectAsync($"{Contact}/?search={m}&{query}");
            Assert.Equal((total, exact, pages, items),
                ((int)page["total"]!, (bool)page["total_is_exact"]!, (int)page["total_pages"]!, page["items"]!.AsArray().Count));
        }
        await AssertPage("page_size=100", 1_000, false, 11, 100);           // more than 1,000: at least 11 pages
        await AssertPage("page_size=20&page=50", 1_020, false, 52, 20);     // counted one page past page 50
        await AssertPage("page_size=100&page=10", matches, true, 11, 100);  // page 11 is within reach: exact
        await AssertPage("page_size=100&page=11", matches, true, 11, 30);
        await AssertPage("page_size=20&page=52", matches, true, 52, 10);

        var seen = new HashSet<Guid>();
        for (var number = 1; ; number++)
        {
            var page = await moderator.GetObjectAsync($"{Contact}/?search={m}&page_size=100&page={number}");
            var items = page["items"]!.AsArray();
            Assert.All(items, t => Assert.True(seen.Add(t!.IdOf())));
            if (items.Count < 100)
            {
                break;
            }
            Assert.True(number < (int)page["total_pages"]!, "a full page always has a next page to ask for");
        }
        Assert.Equal(ids.Order(), seen.Order());

        await moderator.ActOkAsync(ids.First(), "archive");
        await AssertPage("status=archived", 1, true, 1, 1);
        var plain = await moderator.GetObjectAsync($"{Contact}/?page_size=1");
        Assert.True((bool)plain["total_is_exact"]!);
    }

    private static string Escape(string term) =>
        term.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t").Replace("\f", "\\f").Replace("\v", "\\v").Replace("\u00A0", "\\u00A0");
}

public sealed class SearchTestsOnSqlite(SqliteApp app) : SearchTests(app), IClassFixture<SqliteApp>;

public sealed class SearchTestsOnPostgres(PostgresApp app) : SearchTests(app), IClassFixture<PostgresApp>
{
    /// <summary>
    /// The app's statements are prepared on each connection, and PostgreSQL may then plan one once
    /// for any parameters. A search's plan must be made for its own tokens (the one plan for every
    /// word took 534 ms instead of 2 for a common word at a million tickets), and that setting must
    /// not follow the connection into the next request.
    /// </summary>
    [Fact]
    public async Task A_search_is_planned_for_its_own_words_and_the_next_request_on_its_connection_is_planned_once()
    {
        await app.SubmitAsync(subject: "Prepared plans", message: $"plan{UniqueWord()} refund");
        var (searchPid, duringSearch) = await app.QueryAsync(async db =>
        {
            var tickets = await db.SearchAsync("refund", [TicketStatus.Pending], forCounting: false, CancellationToken.None);
            Assert.NotEqual(0, await tickets.CountAsync());
            return (await BackendAsync(db), await PlanCacheModeAsync(db));
        });
        Assert.Equal("force_custom_plan", duringSearch);

        // The pool lends its idle connections in turn; ask until the search's comes back.
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 200, "the search's connection never came back from the pool");
            var (pid, mode, prepared) = await app.QueryAsync(async db =>
            {
                await db.Database.OpenConnectionAsync();
                for (var i = 0; i < 3; i++)
                {
                    await db.Tickets.CountAsync(t => t.Priority == TicketPriority.Urgent);
                }
                return (await BackendAsync(db), await PlanCacheModeAsync(db), await PreparedCountsOfPriorityAsync(db));
            });
            Assert.NotEqual(0, prepared);
            if (pid == searchPid)
            {
                Assert.Equal("auto", mode);
                break;
            }
        }
    }

    private static Task<string> BackendAsync(AppDbContext db) =>
        db.Database.SqlQueryRaw<string>("SELECT pg_backend_pid()::text AS \"Value\"").SingleAsync();

    private static Task<string> PlanCacheModeAsync(AppDbContext db) =>
        db.Database.SqlQueryRaw<string>("SELECT current_setting('plan_cache_mode') AS \"Value\"").SingleAsync();

    private static Task<int> PreparedCountsOfPriorityAsync(AppDbContext db) =>
        db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_prepared_statements WHERE statement LIKE '%priority%'").SingleAsync();
}
