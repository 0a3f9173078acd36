using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Data;
using ContactDesk.Notifications;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests;

/// <summary>
/// Two app processes on one PostgreSQL database and one mail server, both taking submissions and
/// moderation at once: ticket numbers stay unique, each email goes out once, and no edit is lost.
/// </summary>
[Trait("Category", "reliability")]
[Collection(FaultTests.Name)]
public sealed class TwoInstanceTests(ITestOutputHelper output)
{
    private const int Rounds = 10, Races = 10;

    [Fact]
    public async Task Two_processes_submitting_and_moderating_at_once_keep_numbers_unique_send_each_email_once_and_lose_no_edit()
    {
        await using var smtp = new TestSmtpServer();
        var database = DatabaseProbe.NewDatabase(DatabaseProvider.Postgres);
        TestUser first, second;
        // Migrations and accounts in-process (no emails owed yet), then the database is the two processes'.
        await using (var setup = new AppOnDatabase(DatabaseProvider.Postgres, database.ConnectionString))
        {
            first = await setup.CreateUserAsync("moderator", "First Moderator");
            second = await setup.CreateUserAsync("moderator", "Second Moderator");
            await setup.CreateUserAsync("admin");
        }
        var environment = AppEnvironment.For(database, smtp);
        await using var a = await AppProcess.StartAsync(environment);
        await using var b = await AppProcess.StartAsync(environment);
        using var viaA = await SignInAsync(a, first);
        using var viaB = await SignInAsync(b, second);
        var edited = await SubmitAsync(viaA, "Edited from both sides");
        var split = await SubmitAsync(viaB, "Two fields, two moderators");
        var raced = (await Task.WhenAll(Enumerable.Range(0, Races).Select(i => SubmitAsync(i % 2 == 0 ? viaA : viaB, $"Race {i}")))).ToList();

        await using var loadA = SubmissionLoad.Start(a.Address, workers: 2, "instance-a");
        await using var loadB = SubmissionLoad.Start(b.Address, workers: 2, "instance-b");

        // The same ticket's notes appended to through both instances (If-Match, retry on 412);
        // another ticket's category and notes set through one each, without If-Match;
        // each of the raced tickets claimed, then resolved, through both at the same moment.
        var appended = await Task.WhenAll(AppendNotesAsync(viaA, edited, "a"), AppendNotesAsync(viaB, edited, "b"));
        var fields = await Task.WhenAll(
            SetFieldAsync(viaA, split, i => new { category = i % 2 == 0 ? "bug" : "feature" }),
            SetFieldAsync(viaB, split, i => new { admin_notes = $"note {i}" }));
        var claims = await RaceAsync(viaA, viaB, raced, "assign-to-me");
        var resolutions = await RaceAsync(viaA, viaB, raced, "mark-resolved");

        await loadA.WaitForAcceptedAsync(10);
        await loadB.WaitForAcceptedAsync(10);
        await Task.WhenAll(loadA.StopAsync(), loadB.StopAsync());

        // No lost update: every append is in the notes, once; both fields keep their last value.
        var notes = (string?)(await viaA.GetObjectAsync($"{Contact}/{edited}"))["admin_notes"] ?? "";
        foreach (var token in Enumerable.Range(0, Rounds).SelectMany(i => new[] { $"[a{i}]", $"[b{i}]" }))
        {
            Assert.True(notes.Split(token).Length == 2, $"{token} appears {notes.Split(token).Length - 1} times in: {notes}");
        }
        var both = await viaB.GetObjectAsync($"{Contact}/{split}");
        Assert.Equal(Rounds % 2 == 0 ? "feature" : "bug", (string?)both["category"]);
        Assert.Equal($"note {Rounds - 1}", (string?)both["admin_notes"]);

        // Exactly one of each race won, and the ticket says who.
        foreach (var (id, results) in raced.Zip(claims.Zip(resolutions)))
        {
            var (claim, resolution) = results;
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { claim.A, claim.B }.Order());
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { resolution.A, resolution.B }.Order());
            var ticket = await viaA.GetObjectAsync($"{Contact}/{id}");
            Assert.Equal(claim.A == HttpStatusCode.OK ? first.Id : second.Id, ticket["assigned_to"]!.IdOf());
            Assert.Equal(resolution.A == HttpStatusCode.OK ? first.Id : second.Id, ticket["resolved_by"]!.IdOf());
        }

        // Numbers unique across both instances; every accepted submission stored.
        var accepted = loadA.Accepted.Concat(loadB.Accepted).ToList();
        var stored = await database.QueryAsync(db => db.Tickets.Select(t => new { t.Id, t.TicketNumber }).ToListAsync());
        Assert.Equal(stored.Count, stored.Select(t => t.TicketNumber).Distinct().Count());
        Assert.All(accepted, o => Assert.Contains(stored, t => t.Id == o.TicketId && t.TicketNumber == o.TicketNumber));
        Assert.All(loadA.Outcomes.Concat(loadB.Outcomes), o => Assert.Equal(201, o.Status));

        // Each email sent once: by one instance or the other, never both.
        var emails = await CrashTests.WaitUntilAllSentAsync(database, smtp);
        await Task.Delay(500); // a second copy would arrive about now
        Assert.Equal(emails.Count, smtp.Received.Count);
        Assert.Equal(emails.Select(e => e.MessageId).Order(), smtp.Received.Select(m => m.Message.MessageId).Order());
        Assert.All(raced, id => Assert.Single(emails, e => e.TicketId == id && e.Kind == EmailKind.Resolution));
        output.WriteLine($"{accepted.Count} submissions through two instances, {stored.Count} tickets with distinct numbers; " +
            $"{2 * Rounds} conditional appends ({appended.Sum()} retried after 412) all kept; {2 * Rounds} unconditional writes of two fields kept; " +
            $"{Races} claim races and {Races} resolve races with one winner each; {emails.Count} emails sent once each");
    }

    private static async Task<Guid> SubmitAsync(HttpClient client, string subject)
    {
        var response = await client.PostAsJsonAsync($"{Contact}/submit", new { name = "Sam", email = $"sam-{Guid.NewGuid():N}@example.com", subject, message = "Hello" });
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return (await response.ReadObjectAsync()).IdOf();
    }

    private static async Task<HttpClient> SignInAsync(AppProcess app, TestUser user)
    {
        var client = app.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        var token = (string)(await login.ReadObjectAsync())["access_token"]!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Appends "[tag i]" to the notes <see cref="Rounds"/> times, read-modify-write with If-Match; returns how many 412s it met.</summary>
    private static async Task<int> AppendNotesAsync(HttpClient client, Guid id, string tag)
    {
        var stale = 0;
        for (var i = 0; i < Rounds; i++)
        {
            while (true)
            {
                var read = await client.GetAsync($"{Contact}/{id}");
                await read.AssertStatusAsync(HttpStatusCode.OK);
                var notes = (string?)(await read.ReadObjectAsync())["admin_notes"] ?? "";
                var write = await client.PatchJsonAsync(id, new { admin_notes = $"{notes} [{tag}{i}]" }, read.Headers.ETag!.Tag);
                if (write.StatusCode == HttpStatusCode.PreconditionFailed)
                {
                    stale++;
                    continue;
                }
                await write.AssertStatusAsync(HttpStatusCode.OK);
                break;
            }
        }
        return stale;
    }

    private static async Task<int> SetFieldAsync(HttpClient client, Guid id, Func<int, object> body)
    {
        for (var i = 0; i < Rounds; i++)
        {
            await (await client.PatchJsonAsync(id, body(i))).AssertStatusAsync(HttpStatusCode.OK);
        }
        return Rounds;
    }

    /// <summary>For each ticket, the same action through both instances at once; the two statuses.</summary>
    private static async Task<List<(HttpStatusCode A, HttpStatusCode B)>> RaceAsync(HttpClient a, HttpClient b, List<Guid> ids, string action)
    {
        var results = new List<(HttpStatusCode, HttpStatusCode)>();
        foreach (var id in ids)
        {
            var both = await Task.WhenAll(a.ActAsync(id, action), b.ActAsync(id, action));
            results.Add((both[0].StatusCode, both[1].StatusCode));
        }
        return results;
    }
}
