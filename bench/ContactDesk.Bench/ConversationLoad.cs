namespace ContactDesk.Bench;

/// <summary>
/// The conversation at scale: staff replies carrying a 100 KiB file (each a different file, so none
/// is deduplicated away; each reply's email with its file goes to the SMTP sink meanwhile), and the
/// ticket page's read of a 50-message thread.
/// </summary>
public static class ConversationLoad
{
    public const int ThreadLength = 50, FileBytes = 100 * 1024;

    public static async Task RunAsync(Report report, ApiClient api, string connectionString, RunOptions options, CpuMeter cpu)
    {
        // Recent open tickets to answer: a reply lands on a random one of 2,000, as several moderators work a queue.
        var open = await FullBenchmark.QueryListAsync<Guid>(connectionString,
            "SELECT id FROM tickets WHERE status IN ('pending', 'in_progress') ORDER BY created_at DESC LIMIT 2000");
        // Ten tickets with a thread of 50 messages (the submission and 49 staff notes), read in turn.
        var threads = open.Take(10).ToList();
        foreach (var ticket in threads)
        {
            for (var i = 1; i < ThreadLength; i++)
            {
                await api.PostJsonAsync($"/api/v1/contact/{ticket}/messages",
                    new { kind = "note", body = $"Step {i}: {SeedData.SubjectWords[i % SeedData.SubjectWords.Length]} checked; waiting for the courier's answer." },
                    CancellationToken.None);
            }
        }
        var targets = open.Skip(threads.Count).ToList();
        var random = new ThreadLocal<Random>(() => new Random(Environment.CurrentManagedThreadId));
        var files = new ThreadLocal<byte[]>(() => new byte[FileBytes]);

        await MeasureAsync(report, cpu, $"open a thread of {ThreadLength} messages", options.Clients, options.Duration,
            (_, ct) => api.GetAsync($"/api/v1/contact/{threads[random.Value!.Next(threads.Count)]}/messages", ct));
        await MeasureAsync(report, cpu, "reply with a 100 KiB file (emailed with it)", options.Clients, options.Duration, (_, ct) =>
        {
            var file = files.Value!;
            random.Value!.NextBytes(file);
            var fields = new Dictionary<string, string> { ["kind"] = "reply", ["body"] = "Please find the corrected invoice attached." };
            return api.PostFormAsync($"/api/v1/contact/{targets[random.Value.Next(targets.Count)]}/messages", fields, "invoice.pdf", file, ct);
        });
    }

    private static async Task MeasureAsync(Report report, CpuMeter cpu, string name, int clients, TimeSpan duration, Func<int, CancellationToken, Task<bool>> request)
    {
        var result = await LoadRunner.RunAsync(name, clients, duration, request, cpu);
        report.Reads.Add(result);
        FullBenchmark.Log(result.Summary());
    }
}
