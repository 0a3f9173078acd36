using System.Diagnostics;
using ContactDesk.Data;
using ContactDesk.Notifications;
using ContactDesk.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContactDesk.Bench;

/// <summary>
/// Emails per second from a backlog to a local SMTP server: the outbox is filled with rendered
/// emails, then the app's own dispatcher works it off batch by batch until it is empty.
/// </summary>
public static class EmailBenchmark
{
    public sealed record Result(DatabaseProvider Provider, int Emails, TimeSpan Elapsed)
    {
        public double PerSecond => Emails / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(DatabaseProvider provider, string connectionString, int backlog)
    {
        await using var smtp = new SmtpSink();
        var settings = new Dictionary<string, string>
        {
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = smtp.Port.ToString(),
            ["Email:Dispatch:Enabled"] = "false", // the benchmark drives the dispatcher itself
        };
        await using var app = new BenchApp(provider, connectionString, settings);
        app.CreateClient().Dispose(); // start: migrations

        await SeedAsync(app.Services, backlog);

        var dispatcher = new EmailDispatcher(
            app.Services.GetRequiredService<IServiceScopeFactory>(),
            app.Services.GetRequiredService<IOptionsMonitor<EmailOptions>>(),
            new OutboxSignal(), TimeProvider.System, app.Services.GetRequiredService<ContactDesk.Attachments.AttachmentStore>(),
            app.Services.GetRequiredService<ContactDesk.Operations.ContactDeskMetrics>(), NullLogger<EmailDispatcher>.Instance);
        var clock = Stopwatch.StartNew();
        while (await dispatcher.DispatchBatchAsync(CancellationToken.None) > 0)
        {
        }
        clock.Stop();
        if (smtp.Received != backlog)
        {
            throw new InvalidOperationException($"Expected {backlog} emails at the SMTP server, got {smtp.Received}.");
        }
        return new Result(provider, backlog, clock.Elapsed);
    }

    private static async Task SeedAsync(IServiceProvider services, int backlog)
    {
        var composer = services.GetRequiredService<EmailComposer>();
        var now = DateTime.UtcNow;
        for (var done = 0; done < backlog; done += 1000)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            for (var i = done; i < Math.Min(backlog, done + 1000); i++)
            {
                var ticket = new Ticket
                {
                    Id = Guid.CreateVersion7(),
                    TicketNumber = $"CONT-{now:yyyyMMdd}-{i + 1:D4}",
                    Name = $"Submitter {i}",
                    Email = $"submitter{i}@example.com",
                    Subject = "Question about my order",
                    Message = "Hello, I ordered a parcel two weeks ago and it has not arrived yet. Could you look into it?",
                };
                db.OutboxEmails.Add(composer.Queue(EmailKind.Confirmation, ticket, ticket.Email, ticket.Name, now));
            }
            await db.SaveChangesAsync();
        }
    }
}
