using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The app on a real Kestrel port instead of the in-memory TestServer, for what only a real server
/// does: enforce Kestrel's request limits (a chunked body has no Content-Length to check) and see
/// each client's IP address (TestServer gives every request none).
/// </summary>
public static class RealServer
{
    private static int lastHost = 1;

    /// <summary>Call from a fixture's constructor, before anything starts the app.</summary>
    public static void ListenOnLoopback(this ContactDeskApp app) =>
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    /// <summary>The base address of the app's Kestrel server, starting it on first use.</summary>
    public static Uri ServerAddress(this ContactDeskApp app)
    {
        app.StartServer();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.Single());
    }

    /// <summary>A loopback address (127.0.0.2, 127.0.0.3, ...) no other test in this run has used: a client of its own.</summary>
    public static IPAddress NewClientAddress()
    {
        var host = Interlocked.Increment(ref lastHost);
        return new IPAddress([127, 0, (byte)(host / 254), (byte)(host % 254 + 1)]);
    }

    /// <summary>
    /// A client whose connections to the app's real port come from <paramref name="source"/>, so the
    /// app sees that as the client's IP (Linux routes all of 127.0.0.0/8 to the loopback interface).
    /// </summary>
    public static HttpClient CreateClientFrom(this ContactDeskApp app, IPAddress source) =>
        new(app.CreateHandlerFrom(source)) { BaseAddress = app.ServerAddress() };

    /// <summary>The handler of <see cref="CreateClientFrom"/>, for a client that adds handlers of its own (Kiota's).</summary>
    public static SocketsHttpHandler CreateHandlerFrom(this ContactDeskApp app, IPAddress source)
    {
        var address = app.ServerAddress();
        return new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address.Host), context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
