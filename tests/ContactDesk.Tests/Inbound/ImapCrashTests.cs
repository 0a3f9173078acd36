using ContactDesk.Data;
using ContactDesk.Inbound;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContactDesk.Tests.Inbound;

/// <summary>
/// The built app as a real process reading a real Dovecot, killed with SIGKILL while it ingests a
/// backlog: after a restart every message is in exactly once (stored before flagged, unique by
/// Message-ID, the last UID remembered only after both).
/// </summary>
[Trait("Category", "reliability")]
[Collection(FaultTests.Name)]
public sealed class ImapCrashTests(ITestOutputHelper output)
{
    private const int Messages = 300;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_SIGKILL_while_ingesting_from_IMAP_loses_nothing_and_ingests_nothing_twice(DatabaseProvider provider)
    {
        using var dovecot = DovecotServer.Start(IImapApp.Mailbox);
        var senders = Enumerable.Range(0, Messages).Select(i => Mail.Unique($"crash{i:D3}")).ToList();
        await IImapApp.AppendAsync(dovecot, senders.Select(s => Mail.Text(s, "Backlog", "One of many.")));
        var database = DatabaseProbe.NewDatabase(provider);
        var environment = AppEnvironment.For(database);
        foreach (var (key, value) in IImapApp.ImapSettings(dovecot))
        {
            environment[key.Replace(":", "__")] = value!;
        }

        var app = await AppProcess.StartAsync(environment);
        await WaitAsync(database, db => db.InboundEmails.CountAsync(), n => n >= 30, "30 messages stored");
        await app.KillAsync(); // mid-backlog: some stored, some flagged, some processed
        var storedAtKill = await database.QueryAsync(db => db.InboundEmails.CountAsync());

        await using var restarted = await AppProcess.StartAsync(environment, app.Port);
        await WaitAsync(database, db => db.InboundEmails.CountAsync(e => e.State == InboundState.Processed), n => n == Messages, $"{Messages} processed", 600);
        await app.DisposeAsync();

        var tickets = await database.QueryAsync(db => db.Tickets.Where(t => t.Subject == "Backlog").Select(t => t.Email).ToListAsync());
        Assert.Equal(senders.Order(), tickets.Order()); // each message once: none missing, none twice
        Assert.Equal(Messages, await database.QueryAsync(db => db.InboundEmails.CountAsync()));
        output.WriteLine($"{provider}: {storedAtKill} of {Messages} stored at the kill; after the restart all {Messages} in, once each");
    }

    private static async Task WaitAsync(DatabaseProbe database, Func<AppDbContext, Task<int>> count, Func<int, bool> done, string what, int seconds = 300)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            int n;
            try
            {
                n = await database.QueryAsync(count);
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                n = -1; // the app has not created its tables yet
            }
            if (done(n))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Not {what} within {seconds} s (at {n}).");
            await Task.Delay(100);
        }
    }
}
