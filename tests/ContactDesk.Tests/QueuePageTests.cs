using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Moderation;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>The queue at /admin and the ticket page, worked by a signed-in moderator in a real browser.</summary>
public sealed class QueuePageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Filtering_by_status_category_and_search_shows_only_the_matching_tickets()
    {
        var word = UniqueWord();
        var bug = await app.SubmitAsync($"Crash {word}", category: "bug");
        var claimedBug = await app.SubmitAsync($"Crash again {word}", category: "bug");
        var feature = await app.SubmitAsync($"Idea {word}", category: "feature");
        await app.SubmitAsync("Someone else's bug", category: "bug");
        var (moderator, page) = await SignedInModeratorAsync();
        await moderator.Client.ActOkAsync(claimedBug.IdOf(), "assign-to-me");

        await page.GotoAsync("/admin");
        await page.GetByLabel("Search").FillAsync(word);
        await page.GetByLabel("Status").SelectOptionAsync("pending");
        await page.GetByLabel("Category").SelectOptionAsync("bug");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"search={word}.*"));
        Assert.Equal([Number(bug)], await RowsAsync(page));
        // The filters show what is applied.
        await Expect(page.GetByLabel("Status")).ToHaveValueAsync("pending");
        await Expect(page.GetByLabel("Category")).ToHaveValueAsync("bug");
        await Expect(page.GetByLabel("Search")).ToHaveValueAsync(word);
        await Expect(page.Locator("#total")).ToHaveTextAsync("1 ticket");

        await page.GetByLabel("Status").SelectOptionAsync("in_progress");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("status=in_progress"));
        Assert.Equal([Number(claimedBug)], await RowsAsync(page));

        await page.GetByLabel("Status").SelectOptionAsync("");
        await page.GetByLabel("Category").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#total")).ToHaveTextAsync("3 tickets");
        Assert.Equal([Number(feature), Number(claimedBug), Number(bug)], await RowsAsync(page));
    }

    [Fact]
    public async Task The_created_column_sorts_oldest_first_then_newest_first()
    {
        var word = UniqueWord();
        var first = await app.SubmitAsync($"First {word}");
        var second = await app.SubmitAsync($"Second {word}");
        var third = await app.SubmitAsync($"Third {word}");
        var (_, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin?search={word}");
        var created = page.GetByRole(AriaRole.Columnheader, new() { Name = "Created", Exact = true });
        var updated = page.GetByRole(AriaRole.Columnheader, new() { Name = "Updated", Exact = true });
        Assert.Equal([Number(third), Number(second), Number(first)], await RowsAsync(page)); // newest first by default
        await Expect(created).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(updated).Not.ToHaveAttributeAsync("aria-sort", new Regex("."));

        await created.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("ordering=created_at"));
        await Expect(created).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(created).ToHaveTextAsync("Created ▲");
        Assert.Equal([Number(first), Number(second), Number(third)], await RowsAsync(page));

        await created.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("ordering=-created_at"));
        await Expect(created).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(created).ToHaveTextAsync("Created ▼");
        Assert.Equal([Number(third), Number(second), Number(first)], await RowsAsync(page));
        await Expect(page.GetByLabel("Search")).ToHaveValueAsync(word); // sorting keeps the filter
    }

    [Fact]
    public async Task Pages_of_page_size_tickets_are_walked_with_next_and_previous()
    {
        var word = UniqueWord();
        var numbers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            numbers.Add(Number(await app.SubmitAsync($"Page test {i} {word}")));
        }
        var (_, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin?search={word}&page_size=2");
        var pager = page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" });
        await Expect(pager).ToContainTextAsync("Page 1 of 3");
        await Expect(pager.GetByRole(AriaRole.Link, new() { Name = "Previous" })).ToHaveCountAsync(0);
        var seen = await RowsAsync(page);
        Assert.Equal(2, seen.Count);

        await pager.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Expect(pager).ToContainTextAsync("Page 2 of 3");
        var second = await RowsAsync(page);
        Assert.Equal(2, second.Count);
        seen.AddRange(second);

        await pager.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Expect(pager).ToContainTextAsync("Page 3 of 3");
        await Expect(pager.GetByRole(AriaRole.Link, new() { Name = "Next" })).ToHaveCountAsync(0);
        seen.AddRange(await RowsAsync(page));
        Assert.Equal(Enumerable.Reverse(numbers), seen);

        await pager.GetByRole(AriaRole.Link, new() { Name = "Previous" }).ClickAsync();
        await Expect(pager).ToContainTextAsync("Page 2 of 3");
        Assert.Equal(second, await RowsAsync(page));
        await Expect(page).ToHaveURLAsync(new Regex("page_size=2"));
    }

    [Fact]
    public async Task A_moderator_claims_a_ticket_and_adds_admin_notes()
    {
        var ticket = await app.SubmitAsync($"Claim me {UniqueWord()}");
        var (moderator, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await Expect(page.Locator("#assignee")).ToHaveTextAsync("Nobody");

        await page.GetByRole(AriaRole.Button, new() { Name = "Assign to me" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Assigned to you.");
        await Expect(page.Locator("#assignee")).ToHaveTextAsync(moderator.Name);
        await Expect(page.Locator("#status")).ToHaveTextAsync("In progress");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Assign to me" })).ToHaveCountAsync(0);

        await page.GetByLabel("Admin notes (internal)").FillAsync("Called the customer; waiting for a screenshot.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Admin notes (internal)")).ToHaveValueAsync("Called the customer; waiting for a screenshot.");
        var stored = await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}");
        Assert.Equal("Called the customer; waiting for a screenshot.", (string?)stored["admin_notes"]);
        Assert.Equal(moderator.Id.ToString(), (string?)stored["assigned_to"]!["id"]);
    }

    [Fact]
    public async Task A_reply_may_carry_a_file_larger_than_the_64_KiB_form_limit()
    {
        var ticket = await app.SubmitAsync($"Send the manual {UniqueWord()}");
        var (_, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        var manual = MultipartBody.Unique(300 * 1024);
        await page.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "manual.bin", MimeType = "application/octet-stream", Buffer = manual });
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Reply sent.");
        await Expect(page.Locator("#thread .msg.reply .files")).ToContainTextAsync("manual.bin (300 KB)");
    }

    [Fact]
    public async Task A_moderator_resolves_a_ticket_with_notes()
    {
        var ticket = await app.SubmitAsync($"Resolve me {UniqueWord()}");
        var (moderator, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");

        await page.GetByLabel("Resolution notes").FillAsync("Refunded the order.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Resolved");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Resolved");
        await Expect(page.Locator("#resolution-notes")).ToHaveTextAsync("Refunded the order.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true })).ToHaveCountAsync(0);
        var stored = await moderator.Client.GetObjectAsync($"{Contact}/{ticket.IdOf()}");
        Assert.Equal("resolved", (string?)stored["status"]);
        Assert.Equal(moderator.Id.ToString(), (string?)stored["resolved_by"]!["id"]);
    }

    [Fact]
    public async Task Archiving_hides_a_ticket_from_the_queue_and_restoring_brings_it_back()
    {
        var word = UniqueWord();
        var ticket = await app.SubmitAsync($"Archive me {word}");
        var (_, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Archived.");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Archived");
        await page.GotoAsync($"/admin?search={word}");
        Assert.Empty(await RowsAsync(page));
        await page.GotoAsync($"/admin?search={word}&status=archived");
        Assert.Equal([Number(ticket)], await RowsAsync(page));

        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Restored.");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Pending");
        await page.GotoAsync($"/admin?search={word}");
        Assert.Equal([Number(ticket)], await RowsAsync(page));
    }

    [Fact]
    public async Task Three_ticked_tickets_are_archived_with_the_bulk_form()
    {
        var word = UniqueWord();
        var tickets = new List<JsonObject>();
        for (var i = 0; i < 4; i++)
        {
            tickets.Add(await app.SubmitAsync($"Bulk {i} {word}"));
        }
        var (_, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin?search={word}");
        foreach (var ticket in tickets.Take(3))
        {
            await page.GetByLabel($"Tick {Number(ticket)}").CheckAsync();
        }
        await page.GetByLabel("With ticked tickets").SelectOptionAsync("archive");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("3 updated, 0 skipped.");
        await Expect(page).ToHaveURLAsync(new Regex($"search={word}")); // back on the same filter
        Assert.Equal([Number(tickets[3])], await RowsAsync(page));
        await page.GotoAsync($"/admin?search={word}&status=archived");
        Assert.Equal(tickets.Take(3).Select(Number).Reverse(), await RowsAsync(page));
    }

    [Fact]
    public async Task Priority_is_set_on_the_ticket_page_and_in_bulk_then_filtered_and_sorted_in_the_queue()
    {
        var word = UniqueWord();
        var first = await app.SubmitAsync($"Priority one {word}");
        var second = await app.SubmitAsync($"Priority two {word}");
        var third = await app.SubmitAsync($"Priority three {word}");
        var (_, page) = await SignedInModeratorAsync();

        await page.GotoAsync($"/admin/contact/{first.IdOf()}");
        await page.GetByLabel("Priority", new() { Exact = true }).SelectOptionAsync("urgent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await Expect(page.Locator("#priority")).ToHaveTextAsync("Urgent");

        await page.GotoAsync($"/admin?search={word}");
        await page.GetByLabel($"Tick {Number(third)}").CheckAsync();
        await page.GetByLabel("With ticked tickets").SelectOptionAsync("set_priority");
        await page.GetByLabel("New priority").SelectOptionAsync("high");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 updated, 0 skipped.");

        await page.GetByLabel("Priority", new() { Exact = true }).SelectOptionAsync("high,urgent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("priority=high%2Curgent|priority=high,urgent"));
        Assert.Equal([Number(third), Number(first)], await RowsAsync(page));

        await page.GotoAsync($"/admin?search={word}");
        var priority = page.GetByRole(AriaRole.Columnheader, new() { Name = "Priority", Exact = true });
        await priority.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(priority).ToHaveAttributeAsync("aria-sort", "descending");
        Assert.Equal([Number(first), Number(third), Number(second)], await RowsAsync(page));
        await Expect(page.Locator($"tr[data-ticket='{Number(first)}'] td.priority")).ToHaveTextAsync("Urgent");
    }

    [Fact]
    public async Task Export_CSV_downloads_the_header_and_the_filtered_rows()
    {
        var word = UniqueWord();
        var bugs = new[]
        {
            await app.SubmitAsync($"Export, \"quoted\" {word}", "Line one\nLine two, with a comma", category: "bug"),
            await app.SubmitAsync($"Export two {word}", "=1+1", category: "bug"),
        };
        await app.SubmitAsync($"Export general {word}", category: "general");
        var (_, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin?search={word}&category=bug&page_size=1");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var rows = ParseCsv(await File.ReadAllTextAsync((await download.PathAsync())!));

        Assert.Equal(ExportEndpoint.Columns, rows[0]);
        var body = rows.Skip(1).ToList();
        Assert.Equal(2, body.Count); // every matching row, not one page
        Assert.All(body, row => Assert.Equal(ExportEndpoint.Columns.Length, row.Length));
        int number = Array.IndexOf(ExportEndpoint.Columns, "ticket_number"), subject = Array.IndexOf(ExportEndpoint.Columns, "subject"),
            message = Array.IndexOf(ExportEndpoint.Columns, "message"), category = Array.IndexOf(ExportEndpoint.Columns, "category");
        Assert.Equal(bugs.Select(Number).Reverse(), body.Select(r => r[number]));
        Assert.All(body, row => Assert.Equal("bug", row[category]));
        Assert.Equal($"Export, \"quoted\" {word}", body[1][subject]);
        Assert.Equal("Line one\nLine two, with a comma", body[1][message]);
        Assert.NotEqual("=1+1", body[0][message]); // not left as a spreadsheet formula
        Assert.Contains("1+1", body[0][message]);
    }

    [Fact]
    public async Task The_ticket_page_shows_its_audit_trail()
    {
        var ticket = await app.SubmitAsync($"History {UniqueWord()}", category: "account");
        var (moderator, page) = await SignedInModeratorAsync();
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign to me" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Assigned to you.");
        await page.GetByLabel("Category").SelectOptionAsync("data");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Resolved");
        await page.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Archived");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Resolved");

        // In words: what happened, by whom, the labels of statuses and categories, names instead of ids.
        var entries = page.Locator("#history > li");
        await Expect(entries.Locator(".what strong")).ToHaveTextAsync(["Ticket created", $"Assigned to {moderator.Name}",
            "Category changed from My account to My data / privacy", "Resolved", "Archived", "Restored"]);
        await Expect(entries.Nth(0).Locator(".who")).ToHaveTextAsync("by the visitor");
        await Expect(entries.Nth(0)).ToContainTextAsync("Subject: History");
        await Expect(entries.Nth(1).Locator(".who")).ToHaveTextAsync($"by {moderator.Name}");
        await Expect(entries.Nth(1)).ToContainTextAsync("Status: Pending → In progress");
        await Expect(entries.Nth(1)).ToContainTextAsync($"Assigned to: nothing → {moderator.Name}");
        await Expect(page.Locator("#history")).Not.ToContainTextAsync(moderator.Id.ToString());
        await Expect(page.Locator("#history")).Not.ToContainTextAsync("_id");
        await Expect(entries.Nth(3)).ToContainTextAsync("Status: In progress → Resolved");
        await Expect(entries.Nth(3)).ToContainTextAsync($"Resolved by: nothing → {moderator.Name}");

        // Times are the reader's local time, with the UTC time on hover; the machine-readable time is UTC.
        var time = entries.Nth(3).Locator(".what time");
        await Expect(time).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$"));
        await Expect(time).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"));
        await Expect(time).Not.ToContainTextAsync("UTC"); // turned local by pages.js
    }

    [Fact]
    public async Task Long_values_and_message_bodies_are_folded_in_the_history_and_times_follow_the_readers_zone()
    {
        var ticket = await app.SubmitAsync($"Folded {UniqueWord()}");
        var moderator = await app.CreateUserAsync("moderator", $"Mo {Guid.NewGuid():N}"[..11]);
        var notes = "First line of a long note.\n" + new string('n', 120);
        (await moderator.Client.PatchJsonAsync(ticket.IdOf(), new { admin_notes = notes })).EnsureSuccessStatusCode();
        (await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/messages", new { kind = "note", body = "Called them: no answer." })).EnsureSuccessStatusCode();
        var page = await app.SignInAsync(moderator, new() { TimezoneId = "Asia/Tokyo", Locale = "en-GB" });
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");

        var entries = page.Locator("#history > li");
        await Expect(entries.Locator(".what strong")).ToHaveTextAsync(["Ticket created", "Admin notes changed", "Internal note added"]);
        var folded = entries.Nth(1).Locator("details");
        await Expect(folded.Locator("summary")).ToHaveTextAsync("Admin notes changed");
        await Expect(folded.Locator("dd").Nth(1)).Not.ToBeVisibleAsync();
        await folded.Locator("summary").ClickAsync();
        await Expect(folded.Locator("dd").Nth(1)).ToHaveTextAsync(notes);
        var message = entries.Nth(2).Locator("details");
        await Expect(message.Locator(".body")).Not.ToBeVisibleAsync();
        await message.Locator("summary").ClickAsync();
        await Expect(message.Locator(".body")).ToHaveTextAsync("Called them: no answer.");

        // Tokyo is UTC+9 all year: the shown hour is the UTC hour (in the title) plus nine.
        var time = entries.Nth(0).Locator(".what time");
        var utc = DateTime.Parse((await time.GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal);
        await Expect(time).ToContainTextAsync(utc.AddHours(9).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<(TestUser Moderator, IPage Page)> SignedInModeratorAsync()
    {
        var moderator = await app.CreateUserAsync("moderator", $"Mo {Guid.NewGuid():N}"[..11]);
        return (moderator, await app.SignInAsync(moderator));
    }

    private static string Number(JsonObject ticket) => (string)ticket["ticket_number"]!;

    /// <summary>The ticket numbers of the queue's rows, top to bottom.</summary>
    private static async Task<List<string>> RowsAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return [.. await page.Locator("tbody tr[data-ticket]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ticket)")];
    }
}
