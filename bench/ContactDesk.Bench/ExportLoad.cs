using System.Diagnostics;
using System.Globalization;

namespace ContactDesk.Bench;

/// <summary>
/// CSV exports of 10,000 and 100,000 rows and of every ticket, one at a time, with the app's
/// resident memory sampled throughout: a streamed export keeps it flat whatever the row count.
/// </summary>
public static class ExportLoad
{
    private const string AllStatuses = "pending,in_progress,resolved,archived";

    public static async Task RunAsync(Report report, ApiClient api, AppServer app, string connectionString)
    {
        foreach (var rows in new[] { 10_000, 100_000 })
        {
            var since = (await FullBenchmark.QueryListAsync<DateTime>(connectionString,
                $"SELECT created_at FROM tickets ORDER BY created_at DESC OFFSET {rows - 1} LIMIT 1"))[0];
            var iso = since.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            await MeasureAsync(report, api, app, $"export {rows:N0} rows",
                $"/api/v1/contact/export.csv?status={AllStatuses}&created_after={Uri.EscapeDataString(iso)}");
        }
        await MeasureAsync(report, api, app, "export every ticket", $"/api/v1/contact/export.csv?status={AllStatuses}");
    }

    private static async Task MeasureAsync(Report report, ApiClient api, AppServer app, string name, string path)
    {
        await Task.Delay(500);
        var before = app.Memory().Rss;
        var clock = Stopwatch.StartNew();
        (long Bytes, long Rows) received;
        double peak;
        await using (var sampler = app.SampleRss())
        {
            received = await api.DrainCsvAsync(path);
            clock.Stop();
            peak = sampler.MaxMiB;
        }
        var result = new ExportResult(name, received.Rows, received.Bytes, clock.Elapsed, before, Math.Max(before, peak));
        report.Exports.Add(result);
        FullBenchmark.Log($"{name}: {result.Rows:N0} rows, {result.Bytes / 1048576.0:F0} MiB in {result.Elapsed.TotalSeconds:F1} s; " +
            $"app RSS {result.RssBeforeMiB:F0} MiB before, {result.RssPeakMiB:F0} MiB at most during it");
    }
}
