using System.Net;
using System.Net.Sockets;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder from a local port to a server, which a test can cut and restore: an outage of
/// the database for one app alone, without stopping the PostgreSQL server the other tests share.
/// While cut, nothing listens on the port and every forwarded connection is closed.
/// </summary>
public sealed class TcpLink : IDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;

    public TcpLink(IPEndPoint target)
    {
        this.target = target;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    public int Port { get; }

    public void Restore()
    {
        if (hanging)
        {
            Cut();
        }
        if (listener is not null)
        {
            return;
        }
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptAsync(listener);
    }

    /// <summary>
    /// A server that is gone without a word (a partition, a frozen host): connections are cut and new
    /// ones are accepted but nothing is ever forwarded or answered. <see cref="Restore"/> ends it.
    /// </summary>
    public void Hang()
    {
        Cut();
        hanging = true;
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptAsync(listener);
    }

    private volatile bool hanging;

    public void Cut()
    {
        hanging = false;
        listener?.Stop();
        listener = null;
        lock (connections)
        {
            connections.ForEach(c => c.Dispose());
            connections.Clear();
        }
    }

    public void Dispose() => Cut();

    private async Task AcceptAsync(TcpListener accepting)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await accepting.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // cut
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var server = new TcpClient();
        lock (connections)
        {
            connections.Add(client);
            connections.Add(server);
        }
        try
        {
            if (hanging)
            {
                await Task.Delay(TimeSpan.FromMinutes(2)); // silence; Cut or Restore closes the client meanwhile
                return;
            }
            await server.ConnectAsync(target);
            using var a = client.GetStream();
            using var b = server.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // one side went away
        }
        finally
        {
            client.Dispose();
            lock (connections)
            {
                connections.Remove(client);
                connections.Remove(server);
            }
        }
    }
}
