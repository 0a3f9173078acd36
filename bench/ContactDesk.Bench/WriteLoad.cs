using System.Diagnostics;

namespace ContactDesk.Bench;

/// <summary>
/// Submissions under load next to the limit: the same PostgreSQL's rate for one durable INSERT of
/// a ticket-sized row per transaction at the same concurrency, measured just before. A checkpoint
/// before each measurement gives each one the same start.
/// </summary>
public static class WriteLoad
{
    public static async Task RunAsync(Report report, ApiClient api, AppServer app, string connectionString, SmtpSink smtp, RunOptions options, CpuMeter cpu)
    {
        var forms = ContactForm.Pool(2000, seed: 99);
        await InsertLimit.PrepareAsync(connectionString);
        foreach (var variant in Enum.GetValues<InsertLimit.Variant>())
        {
            await FullBenchmark.ExecAsync(connectionString, "CHECKPOINT");
            var result = await InsertLimit.RunAsync(connectionString, variant, options.Clients, options.Duration, forms, cpu);
            if (variant == InsertLimit.Variant.InsertOnly)
            {
                report.Limit = result;
            }
            else
            {
                report.LimitVariants.Add(result);
            }
            FullBenchmark.Log(result.Summary());
        }

        var bodies = forms.Select(f => f.Json()).ToArray();
        var ticketsBefore = await CountTicketsAsync(connectionString);
        var sentBefore = smtp.Received;
        var sessionsBefore = smtp.Sessions;
        await FullBenchmark.ExecAsync(connectionString, "CHECKPOINT");
        var next = 0;
        await using (var sampler = app.SampleRss())
        {
            // Ten seconds unrecorded: the submission path's code is compiled at full optimization first.
            report.Submits = await LoadRunner.RunAsync("submit", options.Clients, options.Duration,
                (_, ct) => api.SubmitAsync(bodies[Interlocked.Increment(ref next) % bodies.Length], ct), cpu, TimeSpan.FromSeconds(10));
            report.SubmitRssPeakMiB = sampler.MaxMiB;
        }
        FullBenchmark.Log($"{report.Submits.Summary()}; {report.Ratio:F2} of the limit");

        // Every submission owes a confirmation and one notification per admin: wait until all are sent.
        var clock = Stopwatch.StartNew();
        while ((await FullBenchmark.QueryListAsync<long>(connectionString, "SELECT count(*) FROM outbox_emails WHERE state = 'pending'"))[0] > 0
               && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(100);
        }
        report.SubmitEmailsDrained = clock.Elapsed;
        report.SubmitEmails = smtp.Received - sentBefore;
        report.SubmittedTickets = await CountTicketsAsync(connectionString) - ticketsBefore;
        report.SubmitSmtpSessions = smtp.Sessions - sessionsBefore;
        FullBenchmark.Log($"{report.SubmitEmails:N0} emails from the {report.SubmittedTickets:N0} submissions (with the warm-up) delivered over {report.SubmitSmtpSessions:N0} SMTP connections; the outbox was empty {clock.Elapsed.TotalSeconds:F1} s after the load stopped.");

        report.SubmitVariants.Add(await SubmitVariants.RunAsync($"{options.Tickets:N0} tickets", api, connectionString, options, cpu, runTag: "m"));
    }

    private static async Task<long> CountTicketsAsync(string connectionString) =>
        (await FullBenchmark.QueryListAsync<long>(connectionString, "SELECT count(*) FROM tickets"))[0];
}
