using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ContactDesk.Bench;

/// <summary>A local SMTP server that accepts every message and only counts them.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;
    private int received;
    private int sessions;

    public SmtpSink()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new CountingStore(this));
        services.Add(new ContactDesk.Tests.Infrastructure.NoDelaySmtpListener());
        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref sessions);
        serving = server.StartAsync(stop.Token);
    }

    public int Port { get; }

    public int Received => Volatile.Read(ref received);

    /// <summary>SMTP connections opened so far.</summary>
    public int Sessions => Volatile.Read(ref sessions);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try { await serving; } catch (OperationCanceledException) { }
    }

    private sealed class CountingStore(SmtpSink sink) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            Interlocked.Increment(ref sink.received);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
