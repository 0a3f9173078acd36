using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactDesk.Bench;

/// <summary>HTTP to the app under test: one pooled connection per load-generator client.</summary>
public sealed class ApiClient(Uri address, int connections) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseCookies = false,
    })
    { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };

    private AuthenticationHeaderValue? bearer;

    public async Task SignInAsync(string email, string password)
    {
        var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        bearer = new AuthenticationHeaderValue("Bearer", (string)body!["access_token"]!);
    }

    /// <summary>POST /submit; true on 201.</summary>
    public async Task<bool> SubmitAsync(byte[] json, CancellationToken ct)
    {
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/api/v1/contact/submit", content, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response.StatusCode == HttpStatusCode.Created;
    }

    /// <summary>A signed-in GET whose whole body is read; true on 200.</summary>
    public async Task<bool> GetAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = bearer } };
        using var response = await http.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>A signed-in POST of a multipart form (text fields and one file); true on 201.</summary>
    public async Task<bool> PostFormAsync(string path, IReadOnlyDictionary<string, string> fields, string fileName, byte[] file, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        form.Add(new ByteArrayContent(file), "files", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { Authorization = bearer }, Content = form };
        using var response = await http.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response.StatusCode == HttpStatusCode.Created;
    }

    /// <summary>A signed-in POST of a JSON body; true on 201.</summary>
    public async Task<bool> PostJsonAsync(string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { Authorization = bearer }, Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        return response.StatusCode == HttpStatusCode.Created;
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = bearer } };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Streams a CSV export to the end; returns the bytes and the data rows received.</summary>
    public async Task<(long Bytes, long Rows)> DrainCsvAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = bearer } };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        long chars = 0, rows = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            chars += line.Length + 1;
            // A row starts with the ticket's id and number; a line break inside a quoted message cannot look like that.
            if (line.Length > 42 && line[36] == ',' && line.AsSpan(37).StartsWith("CONT-") && Guid.TryParse(line.AsSpan(0, 36), out _))
            {
                rows++;
            }
        }
        return (chars, rows);
    }

    public void Dispose() => http.Dispose();
}
