using System.Net.Http.Json;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Bench;

/// <summary>
/// <c>ContactDesk.Bench kb-suggest [--articles N] [--clients N] [--seconds S]</c>: the contact form's
/// suggestions (<c>GET /api/v1/kb/suggest</c>) under load on PostgreSQL (durable settings), with N
/// generated published articles (default 5,000) and draft-like queries of a few words each.
/// </summary>
public static class KbSuggestBenchmark
{
    // A vocabulary of 4,000 made-up words (consonant-vowel syllables): a help centre's articles share
    // some words and not others, so a query matches a part of them, as it would in real use.
    private static readonly string[] Words = MakeWords(4_000);

    private static string[] MakeWords(int count)
    {
        const string consonants = "bdfgklmnprstvz", vowels = "aeiou";
        var random = new Random(7);
        var words = new HashSet<string>();
        while (words.Count < count)
        {
            var word = string.Concat(Enumerable.Range(0, 2 + random.Next(3)).Select(_ => $"{consonants[random.Next(consonants.Length)]}{vowels[random.Next(vowels.Length)]}"));
            words.Add(word);
        }
        return [.. words];
    }

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
        var (articles, clients, seconds) = (Arg("--articles", 5_000), Arg("--clients", 16), Arg("--seconds", 15));

        var postgres = PostgresServer.Start(durable: true);
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = postgres.ConnectionString($"contactdesk_kb_{Guid.NewGuid():N}"),
            ["RateLimiting__Suggest__PermitLimit"] = "0",
        };
        const string email = "kb-writer@example.com", password = "Bench-password-42";
        await AppServer.CreateUserAsync(environment, email, password, "moderator", "KB Writer");
        await using var app = await AppServer.StartAsync(environment);
        using var api = new ApiClient(app.Address, clients);
        using var writer = new HttpClient { BaseAddress = app.Address };
        var token = (await (await writer.PostAsJsonAsync("/api/v1/auth/login", new { email, password })).Content
            .ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["access_token"]!.ToString();
        writer.DefaultRequestHeaders.Authorization = new("Bearer", token);

        Console.WriteLine($"Writing {articles} articles ...");
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < articles; n = Interlocked.Increment(ref next))
            {
                var random = new Random(n);
                string Pick(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => Words[random.Next(Words.Length)]));
                var response = await writer.PostAsJsonAsync("/api/v1/kb/articles", new
                {
                    title = $"{Pick(3)} {n}",
                    body_markdown = string.Join("\n\n", Enumerable.Range(0, 4).Select(_ => Pick(40) + ".")),
                    status = "published",
                });
                response.EnsureSuccessStatusCode();
            }
        })));

        var queries = Enumerable.Range(0, 1000).Select(i =>
        {
            var random = new Random(1_000_000 + i);
            return "/api/v1/kb/suggest?q=" + Uri.EscapeDataString(string.Join(' ', Enumerable.Range(0, 2 + random.Next(6)).Select(_ => Words[random.Next(Words.Length)])));
        }).ToArray();
        var result = await LoadRunner.RunAsync("kb-suggest", clients, TimeSpan.FromSeconds(seconds),
            (i, ct) => api.GetAsync(queries[Random.Shared.Next(queries.Length)], ct));
        Console.WriteLine($"kb-suggest, {articles} articles, PostgreSQL, {clients} clients: {result.Summary()}");
        Console.WriteLine($"p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, {result.PerSecond:F0} req/s, errors {result.Errors}");
        return result.Errors == 0 ? 0 : 1;
    }
}
