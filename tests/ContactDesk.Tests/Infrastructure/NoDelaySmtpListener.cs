using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// SmtpServer's own listener leaves Nagle's algorithm on, and its replies then wait ~40 ms for the
/// client's delayed ACK: about 25 messages a second. Real mail servers reply at once; so does this
/// listener (TCP_NODELAY on every accepted socket). Plain SMTP only, no STARTTLS.
/// </summary>
public sealed class NoDelaySmtpListener : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpoint)
    {
        var listener = new TcpListener(endpoint.Endpoint);
        listener.Start();
        return new Listener(listener);
    }

    private sealed class Listener(TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken ct)
        {
            var socket = await listener.AcceptSocketAsync(ct);
            socket.NoDelay = true;
            context.Properties.Add(EndpointListener.LocalEndPointKey, socket.LocalEndPoint!);
            context.Properties.Add(EndpointListener.RemoteEndPointKey, socket.RemoteEndPoint!);
            return new PlainPipe(new NetworkStream(socket, ownsSocket: true));
        }

        public void Dispose() => listener.Stop();
    }

    private sealed class PlainPipe(Stream stream) : ISecurableDuplexPipe
    {
        public PipeReader Input { get; } = PipeReader.Create(stream);

        public PipeWriter Output { get; } = PipeWriter.Create(stream);

        public bool IsSecure => false;

        public SslProtocols SslProtocol => SslProtocols.None;

        public Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken ct) =>
            throw new NotSupportedException("This test server speaks plain SMTP only.");

        public void Dispose() => stream.Dispose();
    }
}
