using System.Net;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests.Operations;

/// <summary>
/// Contract §12: <c>/metrics</c> (Prometheus text, OpenTelemetry) only when <c>Metrics:Enabled</c>, with
/// counters that move with what the app does; <c>/healthz/live</c> and <c>/healthz/ready</c>.
/// </summary>
public abstract class MonitoringTests(IMailApp mail)
{
    private readonly ContactDeskApp app = mail.App;

    [Fact]
    public async Task Metrics_are_off_by_default_and_404()
    {
        await using var plain = new SqliteApp();
        var response = await plain.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_scrape_counts_tickets_by_source_and_the_emails_sent_for_them()
    {
        var client = app.CreateClient();
        var before = await ScrapeAsync(client);
        var tickets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tickets.Add((string)(await app.SubmitAsync(email: $"metrics-{Guid.NewGuid():N}@example.com"))["ticket_number"]!);
        }
        // Each ticket's confirmation reaches the SMTP server; the counter moves with it.
        await mail.Smtp.WaitUntilAsync(r => tickets.All(n => r.Any(m => m.Message.Subject?.Contains(n) == true)));

        var after = await WaitForAsync(client, s =>
            s.Sum("contactdesk_emails_sent_total", ("kind", "confirmation")) >= before.Sum("contactdesk_emails_sent_total", ("kind", "confirmation")) + 3);

        // Exactly: the exporter takes this app's meters only, not those of the other apps this test process runs.
        Assert.Equal(3, after.Sum("contactdesk_tickets_created_total", ("source", "api")) - before.Sum("contactdesk_tickets_created_total", ("source", "api")));
        Assert.Equal("counter", after.Types["contactdesk_tickets_created_total"]);
        // The submissions' own HTTP requests, from ASP.NET Core's meter.
        Assert.True(after.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/v1/contact/submit"), ("http_response_status_code", "201")) >= 3,
            "no request durations for the submissions");
        Assert.Equal("histogram", after.Types["http_server_request_duration_seconds"]);
    }

    [Fact]
    public async Task The_pending_emails_gauge_reports_the_outbox()
    {
        var client = app.CreateClient();
        var scrape = await WaitForAsync(client, s => s.Has("contactdesk_emails_pending"));
        var pending = await app.QueryAsync(db => db.OutboxEmails.CountAsync(e => e.State == Notifications.EmailState.Pending));
        Assert.Equal("gauge", scrape.Types["contactdesk_emails_pending"]);
        Assert.InRange(scrape.Sum("contactdesk_emails_pending"), 0, pending + 10); // a figure at most 15 s old, of a busy outbox
    }

    [Fact]
    public async Task Liveness_is_200_and_readiness_is_200_while_the_database_answers_with_every_migration_applied()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Readiness_is_503_while_a_migration_is_not_applied_and_liveness_stays_200()
    {
        var client = app.CreateClient();
        var last = (await app.QueryAsync(db => db.Database.GetAppliedMigrationsAsync())).Last();
        var product = typeof(DbContext).Assembly.GetName().Version!.ToString(3);
        const string history = "\"__EFMigrationsHistory\"";
        await app.QueryAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM " + history + " WHERE migration_id = {0}", last));
        try
        {
            var ready = await client.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        }
        finally
        {
            await app.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO " + history + " (migration_id, product_version) VALUES ({0}, {1})", last, product));
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="done"/> (the exporter caches a scrape briefly, and the gauge refreshes in the background).</summary>
    private static async Task<PrometheusText> WaitForAsync(HttpClient client, Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var scrape = await ScrapeAsync(client);
            if (done(scrape))
            {
                return scrape;
            }
            Assert.True(DateTime.UtcNow < deadline, "The scrape did not show it within 30 s.");
            await Task.Delay(200);
        }
    }
}

/// <summary>A mail app with the exporter on.</summary>
public sealed class SqliteMetricsApp : SqliteApp, IMailApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), .. IMailApp.Settings(Smtp), new("Metrics:Enabled", "true")];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class PostgresMetricsApp : PostgresApp, IMailApp
{
    public TestSmtpServer Smtp { get; } = new();

    public ContactDeskApp App => this;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), .. IMailApp.Settings(Smtp), new("Metrics:Enabled", "true")];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class MonitoringTestsOnSqlite(SqliteMetricsApp app) : MonitoringTests(app), IClassFixture<SqliteMetricsApp>;

public sealed class MonitoringTestsOnPostgres(PostgresMetricsApp app) : MonitoringTests(app), IClassFixture<PostgresMetricsApp>;
