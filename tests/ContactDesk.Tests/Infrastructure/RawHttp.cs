using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 spoken over a bare socket, for what HttpClient will not do: send a request whose body
/// never comes, or keep pushing a body after the server has answered, and see when the answer came.
/// </summary>
public sealed class RawHttp : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly Task<string> answer;

    private RawHttp(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        answer = ReadAnswerAsync();
    }

    /// <summary>Bytes of body written so far.</summary>
    public long BodySent { get; private set; }

    /// <summary>Connects and sends the request line and headers (nothing of the body yet).</summary>
    public static async Task<RawHttp> StartAsync(Uri server, string head)
    {
        // A small send buffer, so that what was sent is close to what the server could have read.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendBufferSize = 16 * 1024 };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(server.Host), server.Port));
        var raw = new RawHttp(socket);
        await raw.stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n"));
        return raw;
    }

    /// <summary>True once the server has sent its status line.</summary>
    public bool Answered => answer.IsCompleted;

    /// <summary>Writes body bytes, unless the server has answered or closed the connection; false then.</summary>
    public async Task<bool> TrySendAsync(byte[] bytes)
    {
        if (Answered)
        {
            return false;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await stream.WriteAsync(bytes, timeout.Token);
            BodySent += bytes.Length;
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return false; // the server stopped reading: it has answered, or is about to
        }
    }

    /// <summary>The status code of the answer; fails if none comes within <paramref name="seconds"/>.</summary>
    public async Task<int> StatusAsync(int seconds = 10)
    {
        var line = await answer.WaitAsync(TimeSpan.FromSeconds(seconds));
        Assert.StartsWith("HTTP/1.1 ", line);
        return int.Parse(line.Split(' ')[1]);
    }

    private async Task<string> ReadAnswerAsync()
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n"))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString().Split("\r\n")[0];
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        socket.Dispose();
    }
}
