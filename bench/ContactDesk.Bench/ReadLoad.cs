namespace ContactDesk.Bench;

/// <summary>The moderators' reads under load: the queue, search and the dashboard's statistics.</summary>
public static class ReadLoad
{
    public static string ListPath(int page) => $"/api/v1/contact/?status=pending&page={page}";

    public static string SearchPath(string term) => $"/api/v1/contact/?search={Uri.EscapeDataString(term)}";

    public static async Task RunAsync(Report report, ApiClient api, RunOptions options, CpuMeter cpu)
    {
        var pending = await api.GetJsonAsync(ListPath(1));
        report.PendingTotal = (int)pending["total"]!;
        // Deep: page 1,000 (20,000 rows skipped), or half-way for a smaller queue.
        report.DeepPage = Math.Max(1, Math.Min(1000, (int)pending["total_pages"]! / 2));
        foreach (var word in SeedData.SubjectWords)
        {
            report.WordMatches[word] = (int)(await api.GetJsonAsync(SearchPath(word)))["total"]!;
        }

        if (!options.Runs("reads"))
        {
            return;
        }
        var clients = options.Clients;
        var duration = options.Duration;
        var random = new ThreadLocal<Random>(() => new Random(Environment.CurrentManagedThreadId));

        // A new process compiles its hot code again at full optimization (tiered JIT) during the
        // first half-minute of load, about 13,000 methods for these requests: the figures are of the
        // warmed-up app, as a server runs most of its life.
        string[] warmUp = [ListPath(1), ListPath(report.DeepPage), "/api/v1/contact/stats/overview"];
        var warmed = await LoadRunner.RunAsync("warm-up", clients, WarmUp, (i, ct) => random.Value!.Next(4) switch
        {
            3 => api.GetAsync(SearchPath(SeedData.Customer(random.Value!.Next(SeedData.Customers)).Email), ct),
            var n => api.GetAsync(warmUp[n], ct),
        });
        FullBenchmark.Log($"Warmed up with {warmed.Requests:N0} mixed reads over {WarmUp.TotalSeconds:F0} s.");

        await MeasureAsync(report, cpu, $"list status=pending, page 1 ({report.PendingTotal:N0} pending)", clients, duration,
            (_, ct) => api.GetAsync(ListPath(1), ct));
        await MeasureAsync(report, cpu, $"list status=pending, page {report.DeepPage:N0}", clients, duration,
            (_, ct) => api.GetAsync(ListPath(report.DeepPage), ct));

        await MeasureAsync(report, cpu, "search by email (a random customer's address)", clients, duration,
            (_, ct) => api.GetAsync(SearchPath(SeedData.Customer(random.Value!.Next(SeedData.Customers)).Email), ct));
        await MeasureAsync(report, cpu, "search by a subject word (one of 10, each in 1-10% of tickets)", clients, duration,
            (_, ct) => api.GetAsync(SearchPath(SeedData.SubjectWords[random.Value!.Next(SeedData.SubjectWords.Length)]), ct));

        // At 16 clients two cores are saturated and a request mostly waits for CPU behind the
        // others; at two it shows what one request costs.
        await MeasureAsync(report, cpu, "list status=pending, page 1, 2 clients", 2, duration,
            (_, ct) => api.GetAsync(ListPath(1), ct));
        await MeasureAsync(report, cpu, "search by email, 2 clients", 2, duration,
            (_, ct) => api.GetAsync(SearchPath(SeedData.Customer(random.Value!.Next(SeedData.Customers)).Email), ct));

        await MeasureAsync(report, cpu, "stats overview, 1 client", 1, duration,
            (_, ct) => api.GetAsync("/api/v1/contact/stats/overview", ct));
        await MeasureAsync(report, cpu, "stats overview", clients, duration,
            (_, ct) => api.GetAsync("/api/v1/contact/stats/overview", ct));
    }

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);

    private static async Task MeasureAsync(Report report, CpuMeter cpu, string name, int clients, TimeSpan duration, Func<int, CancellationToken, Task<bool>> request)
    {
        var result = await LoadRunner.RunAsync(name, clients, duration, request, cpu);
        report.Reads.Add(result);
        FullBenchmark.Log(result.Summary());
    }
}
