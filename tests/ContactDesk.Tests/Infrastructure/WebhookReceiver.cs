using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on loopback (Kestrel) that keeps every request it gets. Each test uses paths
/// of its own; what a path answers is up to the test (default 200).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication server;
    private readonly ConcurrentQueue<ReceivedHook> received = new();
    private readonly ConcurrentDictionary<string, Func<int, Task<int>>> answers = new();
    private readonly ConcurrentDictionary<string, int> calls = new();

    private WebhookReceiver(WebApplication server) => this.server = server;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Urls.Single().TrimEnd('/');
        return receiver;
    }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public int Port => new Uri(BaseUrl).Port;

    /// <summary>A path of its own on this receiver, answering what <paramref name="answer"/> says for the n-th call (1-based).</summary>
    public string NewUrl(Func<int, Task<int>>? answer = null)
    {
        var path = $"/hook/{Guid.NewGuid():N}";
        answers[path] = answer ?? (_ => Task.FromResult(200));
        return BaseUrl + path;
    }

    /// <summary>A path answering these statuses in turn, then 200.</summary>
    public string NewUrl(params int[] statuses) => NewUrl(n => Task.FromResult(n <= statuses.Length ? statuses[n - 1] : 200));

    public IReadOnlyList<ReceivedHook> For(string url) => received.Where(r => url.EndsWith(r.Path, StringComparison.Ordinal)).ToList();

    /// <summary>Waits until the requests to <paramref name="url"/> satisfy <paramref name="done"/>; fails after <paramref name="seconds"/>.</summary>
    public async Task<IReadOnlyList<ReceivedHook>> WaitUntilAsync(string url, Func<IReadOnlyList<ReceivedHook>, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(For(url)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The expected webhook requests did not arrive within {seconds} s; {For(url).Count} arrived at {url}.");
            await Task.Delay(50);
        }
        return For(url);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var path = context.Request.Path.Value ?? "";
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var n = calls.AddOrUpdate(path, 1, (_, c) => c + 1);
        received.Enqueue(new ReceivedHook(path, context.Request.Method, headers, body.ToArray(), n));
        var answer = answers.TryGetValue(path, out var a) ? a : _ => Task.FromResult(200);
        context.Response.StatusCode = await answer(n);
        if (context.Response.StatusCode is >= 300 and < 400)
        {
            // Where a redirect would send the client: this very server's other path, on loopback.
            context.Response.Headers.Location = $"{BaseUrl}/redirected";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
    }
}

/// <param name="Call">Which call to its path this was (1-based).</param>
public sealed record ReceivedHook(string Path, string Method, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Call)
{
    public System.Text.Json.Nodes.JsonObject Json => System.Text.Json.Nodes.JsonNode.Parse(Body)!.AsObject();
}
