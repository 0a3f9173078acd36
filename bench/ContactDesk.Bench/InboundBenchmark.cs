using System.Diagnostics;
using ContactDesk.Data;
using ContactDesk.Inbound;
using ContactDesk.Tests.Infrastructure;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ContactDesk.Bench;

/// <summary>
/// Inbound emails per second from a backlog in a private Dovecot: the mailbox is filled with new
/// mails (each a new ticket, the most work an email can be), then the app starts reading it and the
/// clock runs until every message is stored, flagged and turned into its ticket.
/// </summary>
public static class InboundBenchmark
{
    public sealed record Result(DatabaseProvider Provider, int Messages, TimeSpan Elapsed)
    {
        public double PerSecond => Messages / Elapsed.TotalSeconds;
    }

    private const string Mailbox = "support@desk.test";

    public static async Task<int> RunAsync(string[] args)
    {
        var backlog = args.SkipWhile(a => a != "--backlog").Skip(1).Select(int.Parse).FirstOrDefault(10_000);
        var sqliteFile = Path.Combine(Directory.CreateTempSubdirectory("contactdesk-bench-").FullName, "bench.db");
        var postgres = PostgresServer.Start(durable: true);
        foreach (var result in new[]
        {
            await RunAsync(DatabaseProvider.Sqlite, $"Data Source={sqliteFile}", backlog),
            await RunAsync(DatabaseProvider.Postgres, postgres.ConnectionString("bench_inbound"), backlog),
        })
        {
            Console.WriteLine($"| inbound emails ingested from IMAP ({result.Provider}) | {result.Messages:N0} | {result.Elapsed.TotalSeconds:0.0} s | {result.PerSecond:0}/s |");
        }
        return 0;
    }

    public static async Task<Result> RunAsync(DatabaseProvider provider, string connectionString, int backlog)
    {
        using var dovecot = DovecotServer.Start(Mailbox);
        await FillAsync(dovecot, backlog);
        var settings = new Dictionary<string, string>
        {
            ["Email:Inbound:Imap:Host"] = dovecot.Host,
            ["Email:Inbound:Imap:Port"] = dovecot.Port.ToString(),
            ["Email:Inbound:Imap:UseTls"] = "false",
            ["Email:Inbound:Imap:Username"] = Mailbox,
            ["Email:Inbound:Imap:Password"] = DovecotServer.Password,
            ["Email:Dispatch:Enabled"] = "false", // the outgoing confirmations are another benchmark's
        };
        var clock = Stopwatch.StartNew();
        await using var app = new BenchApp(provider, connectionString, settings);
        app.CreateClient().Dispose(); // start: migrations, then the IMAP reader and the processor
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var done = await scope.ServiceProvider.GetRequiredService<AppDbContext>().InboundEmails.CountAsync(e => e.State != InboundState.Received);
            if (done >= backlog)
            {
                break;
            }
            await Task.Delay(200);
        }
        clock.Stop();
        return new Result(provider, backlog, clock.Elapsed);
    }

    private static async Task FillAsync(DovecotServer dovecot, int backlog)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(dovecot.Host, dovecot.Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(Mailbox, DovecotServer.Password);
        for (var i = 0; i < backlog; i++)
        {
            var message = new MimeMessage
            {
                Subject = $"Question {i}",
                Body = new TextPart("plain") { Text = "Hello, my parcel has not arrived yet. Could you look into it?\n\nThanks, Sam" },
            };
            message.From.Add(new MailboxAddress($"Sender {i}", $"sender{i}@example.net"));
            message.To.Add(MailboxAddress.Parse(Mailbox));
            message.MessageId = $"bench-{i}-{Guid.NewGuid():N}@example.net";
            await client.Inbox.AppendAsync(new MailKit.AppendRequest(message, MailKit.MessageFlags.None));
        }
        await client.DisconnectAsync(true);
    }
}
