using ContactDesk.Data;
using ContactDesk.Notifications;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContactDesk.Tests;

/// <summary>
/// The built app as a real process, killed with SIGKILL while submissions pour in, and restarted
/// while the SMTP server is down: what was accepted is kept, and every email owed is sent.
/// </summary>
[Trait("Category", "reliability")]
[Collection(FaultTests.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_SIGKILL_under_load_loses_no_accepted_submission_and_no_owed_email(DatabaseProvider provider)
    {
        await using var smtp = new TestSmtpServer();
        var database = DatabaseProbe.NewDatabase(provider);
        var environment = AppEnvironment.For(database, smtp);
        environment["Email__Dispatch__BatchSize"] = "10";
        await AppEnvironment.CreateUserAsync(environment, "admin"); // so each ticket owes two emails

        var app = await AppProcess.StartAsync(environment);
        await using var load = SubmissionLoad.Start(app.Address, workers: 6, "crash");
        await load.WaitForAcceptedAsync(40);
        await app.KillAsync(); // mid-stream: six requests in flight, emails being sent
        var acceptedBeforeKill = load.Accepted.Count;

        await using var restarted = await AppProcess.StartAsync(environment, app.Port);
        await load.WaitForAcceptedAsync(20);
        await load.StopAsync();
        await app.DisposeAsync();

        var accepted = load.Accepted;
        Assert.All(load.Outcomes, o => Assert.True(o.Status is 201 or 0, $"{o.Status}: {o.Body}")); // nothing but success or no answer
        var stored = await database.QueryAsync(db => db.Tickets.Select(t => new { t.Id, t.TicketNumber, t.Email }).ToListAsync());
        var missing = accepted.Where(a => !stored.Any(t => t.Id == a.TicketId && t.TicketNumber == a.TicketNumber && t.Email == a.Email)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} accepted submissions are gone, e.g. {missing.FirstOrDefault()}");
        Assert.Equal(stored.Count, stored.Select(t => t.TicketNumber).Distinct().Count());

        // Every email owed by every stored ticket (also those whose 201 the kill swallowed) is sent.
        var owed = await WaitUntilAllSentAsync(database, smtp);
        Assert.All(stored, t => Assert.Equal(2, owed.Count(e => e.TicketId == t.Id)));
        var duplicates = smtp.Received.Count - smtp.Received.Select(m => m.Message.MessageId).Distinct().Count();
        Assert.InRange(duplicates, 0, 1); // at most the one in flight at the kill
        output.WriteLine($"{provider}: {accepted.Count} accepted ({acceptedBeforeKill} before the kill), {stored.Count} stored, " +
            $"{load.Outcomes.Count(o => o.Status == 0)} unanswered, {owed.Count} emails owed and sent, {duplicates} sent twice");
    }

    /// <summary>PostgreSQL only: the outbox works the same on SQLite (NotificationTests has an SMTP outage on both).</summary>
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_SMTP_outage_across_a_restart_of_the_app_delays_emails_and_loses_none(DatabaseProvider provider)
    {
        await using var smtp = new TestSmtpServer();
        await smtp.StopAsync();
        var database = DatabaseProbe.NewDatabase(provider);
        var environment = AppEnvironment.For(database, smtp);

        var app = await AppProcess.StartAsync(environment);
        await using (var load = SubmissionLoad.Start(app.Address, workers: 2, "smtp-outage"))
        {
            await load.WaitForAcceptedAsync(10);
        }
        // The sender has met the outage and backs off; then the app is stopped and started again.
        await WaitUntilAsync(() => database.QueryAsync(db => db.OutboxEmails.AnyAsync(e => e.Attempts > 0)), "no send was attempted");
        await app.StopAsync();
        await app.DisposeAsync();
        Assert.Empty(smtp.Received);

        smtp.Start();
        await using var restarted = await AppProcess.StartAsync(environment, app.Port);
        var owed = await WaitUntilAllSentAsync(database, smtp);

        Assert.True(owed.Count >= 10, $"{owed.Count} emails");
        Assert.Equal(owed.Count, smtp.Received.Count); // each once
        Assert.Equal(owed.Select(e => e.MessageId).Order(), smtp.Received.Select(m => m.Message.MessageId).Order());
        output.WriteLine($"{provider}: {owed.Count} emails owed during the outage, all delivered once after the restart");
    }

    /// <summary>Waits until every outbox email is sent and the SMTP server got each; returns them.</summary>
    internal static async Task<List<OutboxEmail>> WaitUntilAllSentAsync(DatabaseProbe database, TestSmtpServer smtp, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var emails = await database.QueryAsync(db => db.OutboxEmails.AsNoTracking().ToListAsync());
            var received = smtp.Received.Select(m => m.Message.MessageId).ToHashSet();
            var waiting = emails.Where(e => e.State != EmailState.Sent || !received.Contains(e.MessageId)).ToList();
            if (waiting.Count == 0)
            {
                return emails;
            }
            Assert.DoesNotContain(waiting, e => e.State == EmailState.Failed);
            Assert.True(DateTime.UtcNow < deadline, $"{waiting.Count} of {emails.Count} emails not sent within {seconds} s, e.g. " +
                string.Join("; ", waiting.Take(5).Select(e =>
                    $"{e.Kind} {e.TicketNumber} {e.State} attempts {e.Attempts} locked until {e.LockedUntil:o} next {e.NextAttemptAt:o} " +
                    $"received {received.Contains(e.MessageId)} error {e.LastError}")));
            await Task.Delay(200);
        }
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure} within {seconds} s");
            await Task.Delay(100);
        }
    }
}

/// <summary>
/// The fault tests start app processes and PostgreSQL clusters and time how fast faults are answered:
/// they run one at a time (with the load tests, after the other tests), so that they neither starve
/// the rest of the suite nor get starved by it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultTests
{
    public const string Name = "Fault tests";
}
