using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Inbound;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Xunit.Abstractions;

namespace ContactDesk.Tests.Inbound;

/// <summary>
/// Mail as real programs write it (Inbound/Corpus: NN-name.eml and the thread text it must give,
/// NN-name.expected.txt, whose optional first lines say "#failed" or "#files N"), all posted before
/// any is checked: each gives its text, or is refused, without stopping the others.
/// </summary>
public abstract class CorpusTests(ContactDeskApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Each_message_of_the_corpus_gives_its_thread_text_or_is_kept_out()
    {
        var cases = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Inbound", "Corpus"), "*.eml").Order()
            .Select(path => (Name: Path.GetFileNameWithoutExtension(path), Raw: File.ReadAllBytes(path),
                Expected: File.ReadAllText(Path.ChangeExtension(path, ".expected.txt"), Encoding.UTF8)))
            .Append((Name: "36-twenty-mib-attachment", Raw: HugeAttachment(), Expected: "#files 0\nHere is the log.\n\n[Files left out (over the attachment limits): huge.log]"))
            .ToList();
        Assert.True(cases.Count >= 30, $"{cases.Count} messages");

        var posted = await Task.WhenAll(cases.Select(async c => (Case: c, Response: await Mail.PostAsync(app, c.Raw))));
        var failures = new List<string>();
        foreach (var (c, response) in posted)
        {
            var (failed, files, text) = Parse(c.Expected);
            string outcome;
            if (failed)
            {
                outcome = response.StatusCode == HttpStatusCode.BadRequest ? "refused (400), nothing stored" : $"expected 400, got {(int)response.StatusCode}";
            }
            else if (response.StatusCode != HttpStatusCode.Accepted)
            {
                outcome = $"expected 202, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            else
            {
                var id = Guid.Parse((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
                var row = await Mail.ProcessedAsync(app, id, 180);
                var message = await app.QueryAsync(db => db.Messages.AsNoTracking().Include(m => m.Attachments).SingleOrDefaultAsync(m => m.Id == row.TicketMessageId));
                outcome = row.State != InboundState.Processed || message is null ? $"{row.State}: {row.Error}"
                    : message.Body != text ? $"text differs:\n---- got\n{message.Body}\n---- expected\n{text}\n----"
                    : files is { } n && message.Attachments.Count != n ? $"{message.Attachments.Count} files, expected {n}"
                    : $"ok: {Preview(message.Body)}" + (message.Attachments.Count > 0 ? $" + {message.Attachments.Count} file(s)" : "");
            }
            output.WriteLine($"{c.Name}: {outcome}");
            if (!outcome.StartsWith("ok") && !outcome.StartsWith("refused"))
            {
                failures.Add($"{c.Name}: {outcome}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static (bool Failed, int? Files, string Text) Parse(string expected)
    {
        var failed = false;
        int? files = null;
        while (expected.StartsWith('#'))
        {
            var line = expected[..(expected.IndexOf('\n') is var i and >= 0 ? i : expected.Length)];
            failed |= line == "#failed";
            files = line.StartsWith("#files ") ? int.Parse(line[7..]) : files;
            expected = expected[Math.Min(expected.Length, line.Length + 1)..];
        }
        return (failed, files, expected);
    }

    private static string Preview(string text) => text.Length <= 60 ? text.Replace("\n", "⏎") : text[..60].Replace("\n", "⏎") + "…";

    /// <summary>A 20 MiB log attached (27 MiB as base64): over the 10 MiB file limit, so left out and named.</summary>
    private static byte[] HugeAttachment()
    {
        var body = new BodyBuilder { TextBody = "Here is the log." };
        var log = new byte[20 * 1024 * 1024];
        new Random(7).NextBytes(log);
        body.Attachments.Add("huge.log", log);
        var message = Mail.Text("big@example.net", "Log file", "");
        message.Body = body.ToMessageBody();
        return Mail.Bytes(message);
    }
}

/// <summary>The corpus app takes messages of up to 40 MiB, so that the 20 MiB attachment reaches the attachment limit.</summary>
public sealed class SqliteCorpusApp : SqliteApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Email:Inbound:Token", IInboundApp.Token), new("Email:Inbound:MaxMessageBytes", (40 << 20).ToString())];
}

public sealed class PostgresCorpusApp : PostgresApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Email:Inbound:Token", IInboundApp.Token), new("Email:Inbound:MaxMessageBytes", (40 << 20).ToString())];
}

public sealed class CorpusTestsOnSqlite(SqliteCorpusApp app, ITestOutputHelper output) : CorpusTests(app, output), IClassFixture<SqliteCorpusApp>;

public sealed class CorpusTestsOnPostgres(PostgresCorpusApp app, ITestOutputHelper output) : CorpusTests(app, output), IClassFixture<PostgresCorpusApp>;
