using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package) that keeps what it receives. It can be
/// stopped and started again on the same port (an outage), refuse recipients for good (550) and
/// refuse the next few messages for now (451).
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedEmail> received = new();
    private CancellationTokenSource? running;
    private Task? serving;
    private readonly ConcurrentDictionary<string, int> busyFor = new(StringComparer.OrdinalIgnoreCase);

    public TestSmtpServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    public int Port { get; }

    /// <summary>Recipients (by address) answered with 550, a permanent refusal.</summary>
    public ConcurrentDictionary<string, bool> RejectedRecipients { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ReceivedEmail> Received => [.. received];

    /// <summary>How long each message takes to accept: a slow server keeps a batch in flight.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The next <paramref name="times"/> messages to <paramref name="recipient"/> are answered 451 (try again later).</summary>
    public void RefuseForNow(string recipient, int times) => busyFor[recipient] = times;

    public void Start()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        services.Add(new NoDelaySmtpListener());
        running = new CancellationTokenSource();
        serving = new SmtpServer.SmtpServer(options, services).StartAsync(running.Token);
    }

    public async Task StopAsync()
    {
        if (running is null)
        {
            return;
        }
        await running.CancelAsync();
        try { await serving!; } catch (OperationCanceledException) { }
        running = null;
    }

    /// <summary>Waits until the received mail satisfies <paramref name="done"/>; fails after <paramref name="seconds"/>.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitUntilAsync(Func<IReadOnlyList<ReceivedEmail>, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(Received))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The expected emails did not arrive within {seconds} s; {received.Count} arrived.");
            await Task.Delay(50);
        }
        return Received;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            var recipients = transaction.To.Select(Address).ToList();
            if (recipients.Any(r => server.busyFor.TryGetValue(r, out var left) && left > 0 && server.busyFor.TryUpdate(r, left - 1, left)))
            {
                return new SmtpResponse((SmtpReplyCode)451, "4.3.0 try again later");
            }
            await Task.Delay(server.Delay, ct);
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, ct);
            server.received.Enqueue(new ReceivedEmail(message, recipients));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(TestSmtpServer server) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken ct) =>
            Task.FromResult(!server.RejectedRecipients.ContainsKey(Address(to)));
    }

    private static string Address(IMailbox mailbox) => $"{mailbox.User}@{mailbox.Host}";
}

/// <param name="Recipients">The SMTP envelope's RCPT TO addresses: who really gets it.</param>
public sealed record ReceivedEmail(MimeMessage Message, IReadOnlyList<string> Recipients)
{
    public string To => Recipients.Single();

    public string Subject => Message.Subject ?? "";
}
