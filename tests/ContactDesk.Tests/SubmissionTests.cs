using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tests;

/// <summary>Contract §4, <c>POST /api/v1/contact/submit</c>.</summary>
public abstract partial class SubmissionTests(ContactDeskApp app)
{
    private const string SubmitUrl = "/api/v1/contact/submit";

    private static readonly string[] ContractFields =
    [
        "id", "ticket_number", "name", "email", "subject", "message", "category", "status",
        "user_id", "assigned_to", "resolved_by", "admin_notes", "resolution_notes",
        "created_at", "updated_at", "resolved_at",
    ];

    private static readonly string[] Categories = ["general", "bug", "feature", "abuse", "data", "account", "other"];

    [GeneratedRegex(@"^CONT-(\d{8})-(\d{4,})$")]
    private static partial Regex TicketNumber();

    [Fact]
    public async Task Submit_returns_201_with_Location_and_the_full_pending_ticket()
    {
        var marker = Guid.NewGuid().ToString("N");
        var before = DateTime.UtcNow;
        var response = await PostAsync(Form(marker));
        var after = DateTime.UtcNow;

        var ticket = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        foreach (var field in ContractFields)
        {
            Assert.True(ticket.ContainsKey(field), $"No '{field}' in {ticket.ToJsonString()}");
        }
        Assert.True(Guid.TryParse((string?)ticket["id"], out var id));
        Assert.Equal("Ada Lovelace", (string?)ticket["name"]);
        Assert.Equal("ada@example.com", (string?)ticket["email"]);
        Assert.Equal($"Subject {marker}", (string?)ticket["subject"]);
        Assert.Equal($"Message {marker}", (string?)ticket["message"]);
        Assert.Equal("bug", (string?)ticket["category"]);
        Assert.Equal("pending", (string?)ticket["status"]);
        foreach (var empty in new[] { "user_id", "assigned_to", "resolved_by", "admin_notes", "resolution_notes", "resolved_at" })
        {
            Assert.True(ticket[empty] is null, $"'{empty}' should be null in {ticket.ToJsonString()}");
        }

        var createdAt = UtcTimestamp(ticket, "created_at");
        UtcTimestamp(ticket, "updated_at");
        var number = TicketNumber().Match((string)ticket["ticket_number"]!);
        Assert.True(number.Success, $"Bad ticket number {ticket["ticket_number"]}");
        // The UTC date of creation (the request may straddle midnight).
        Assert.Contains(number.Groups[1].Value, new[] { $"{before:yyyyMMdd}", $"{after:yyyyMMdd}" });
        Assert.Equal($"{createdAt:yyyyMMdd}", number.Groups[1].Value);

        Assert.NotNull(response.Headers.Location);
        Assert.EndsWith($"/api/v1/contact/{id}", response.Headers.Location!.OriginalString);
        var moderator = await app.CreateUserAsync("moderator");
        var atLocation = await ResponseAssert.JsonAsync(await moderator.Client.GetAsync(response.Headers.Location), HttpStatusCode.OK);
        Assert.Equal(ticket["ticket_number"]!.ToString(), atLocation["ticket_number"]!.ToString());
    }

    [Fact]
    public async Task Submit_without_a_category_files_the_ticket_as_general()
    {
        var form = Form(Guid.NewGuid().ToString("N"));
        form.Remove("category");
        var ticket = await ResponseAssert.JsonAsync(await PostAsync(form), HttpStatusCode.Created);
        Assert.Equal("general", (string?)ticket["category"]);
    }

    [Fact]
    public async Task Submit_accepts_every_category_of_the_contract()
    {
        foreach (var category in Categories)
        {
            var form = Form(Guid.NewGuid().ToString("N"));
            form["category"] = category;
            var ticket = await ResponseAssert.JsonAsync(await PostAsync(form), HttpStatusCode.Created);
            Assert.Equal(category, (string?)ticket["category"]);
        }
    }

    /// <param name="json">The field's raw JSON value; null leaves the field out.</param>
    [Theory]
    [InlineData("name", null)]
    [InlineData("name", "\"\"")]
    [InlineData("name", "\"   \"")]
    [InlineData("name", "null")]
    [InlineData("name", "123")]
    [InlineData("email", null)]
    [InlineData("email", "\"not-an-email\"")]
    [InlineData("email", "\"two@example.com, three@example.com\"")]
    [InlineData("email", "\"Ada <ada@example.com>\"")]
    [InlineData("email", "true")]
    [InlineData("subject", null)]
    [InlineData("subject", "\" \\t \"")]
    [InlineData("subject", "[\"a\"]")]
    [InlineData("message", null)]
    [InlineData("message", "\"\\n\\n\"")]
    [InlineData("message", "{\"text\":\"hi\"}")]
    [InlineData("category", "\"urgent\"")]
    [InlineData("category", "7")]
    public async Task Submit_with_an_invalid_field_is_a_400_validation_problem_and_stores_nothing(string field, string? json)
    {
        var marker = Guid.NewGuid().ToString("N");
        var form = Form(marker);
        form.Remove(field);
        if (json is not null)
        {
            form[field] = JsonNode.Parse(json);
        }
        await ResponseAssert.ValidationProblemAsync(await PostAsync(form), field);
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Theory]
    [InlineData("name", 256)]
    [InlineData("subject", 256)]
    [InlineData("message", 20_001)]
    public async Task Submit_with_a_field_over_its_limit_is_refused(string field, int length)
    {
        var marker = Guid.NewGuid().ToString("N");
        var form = Form(marker);
        form[field] = marker + new string('x', length - marker.Length);
        await ResponseAssert.ValidationProblemAsync(await PostAsync(form), field);
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Fact]
    public async Task Submit_with_an_email_over_254_characters_is_refused()
    {
        var marker = Guid.NewGuid().ToString("N");
        var form = Form(marker);
        form["email"] = EmailOfLength(255);
        await ResponseAssert.ValidationProblemAsync(await PostAsync(form), "email");
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Fact]
    public async Task Submit_with_every_field_exactly_at_its_limit_is_accepted()
    {
        var marker = Guid.NewGuid().ToString("N");
        var name = new string('n', 255);
        var subject = marker + new string('s', 255 - marker.Length);
        var message = marker + new string('m', 20_000 - marker.Length);
        var email = EmailOfLength(254);
        var form = Form(marker);
        form["name"] = $"  {name}  "; // the limit counts after trimming
        form["subject"] = subject;
        form["message"] = message;
        form["email"] = email;

        var ticket = await ResponseAssert.JsonAsync(await PostAsync(form), HttpStatusCode.Created);
        Assert.Equal(name, (string?)ticket["name"]);
        Assert.Equal(subject, (string?)ticket["subject"]);
        Assert.Equal(message, (string?)ticket["message"]);
        Assert.Equal(email, (string?)ticket["email"]);
    }

    [Theory]
    [InlineData("{\"name\": \"Ada\", \"subject\": \"MARKER\", ")]
    [InlineData("{\"name\": \"Ada\", \"subject\": \"MARKER\"")]
    [InlineData("name=Ada&subject=MARKER")]
    [InlineData("[\"MARKER\"]")]
    [InlineData("\"MARKER\"")]
    [InlineData("")]
    public async Task Submit_with_a_body_that_is_not_a_JSON_object_is_a_400_problem_and_stores_nothing(string body)
    {
        var marker = Guid.NewGuid().ToString("N");
        var content = new StringContent(body.Replace("MARKER", marker), Encoding.UTF8, "application/json");
        await ResponseAssert.ProblemAsync(await app.CreateClient().PostAsync(SubmitUrl, content), HttpStatusCode.BadRequest);
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task Submit_with_a_non_JSON_content_type_is_a_415_problem_and_stores_nothing(string mediaType)
    {
        var marker = Guid.NewGuid().ToString("N");
        var content = new StringContent(Form(marker).ToJsonString(), Encoding.UTF8, mediaType);
        await ResponseAssert.ProblemAsync(await app.CreateClient().PostAsync(SubmitUrl, content), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Fact]
    public async Task Submit_with_a_body_over_64_KiB_is_a_413_problem_and_stores_nothing()
    {
        var marker = Guid.NewGuid().ToString("N");
        var form = Form(marker);
        form["message"] = marker + new string('x', 64 * 1024);
        await ResponseAssert.ProblemAsync(await PostAsync(form), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Fact]
    public async Task Submit_with_a_body_over_64_KiB_sent_without_Content_Length_is_a_413_problem()
    {
        var marker = Guid.NewGuid().ToString("N");
        var form = Form(marker);
        form["message"] = marker + new string('x', 64 * 1024);
        // A stream of unknown length goes out chunked, so the server learns the size only by reading.
        var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(form.ToJsonString())));
        content.Headers.ContentType = new("application/json");
        Assert.Null(content.Headers.ContentLength);

        await ResponseAssert.ProblemAsync(await app.CreateClient().PostAsync(SubmitUrl, content), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Fact]
    public async Task A_signed_in_user_may_leave_out_name_and_email_which_come_from_the_account()
    {
        var user = await app.CreateUserAsync("user", name: "Grace Hopper");
        var marker = Guid.NewGuid().ToString("N");
        var form = Form(marker);
        form.Remove("name");
        form.Remove("email");

        var ticket = await ResponseAssert.JsonAsync(await PostAsync(form, user.Client), HttpStatusCode.Created);
        Assert.Equal("Grace Hopper", (string?)ticket["name"]);
        Assert.Equal(user.Email, (string?)ticket["email"]);
        Assert.Equal(user.Id.ToString(), (string?)ticket["user_id"]);
    }

    [Fact]
    public async Task An_anonymous_submission_has_no_user_id_and_must_give_name_and_email()
    {
        var ticket = await ResponseAssert.JsonAsync(await PostAsync(Form(Guid.NewGuid().ToString("N"))), HttpStatusCode.Created);
        Assert.True(ticket.ContainsKey("user_id") && ticket["user_id"] is null, ticket.ToJsonString());

        var marker = Guid.NewGuid().ToString("N");
        var form = Form(marker);
        form.Remove("name");
        form.Remove("email");
        await ResponseAssert.ValidationProblemAsync(await PostAsync(form), "name", "email");
        Assert.Equal(0, await StoredAsync(marker));
    }

    [Fact]
    public async Task Submit_with_the_same_idempotency_key_and_body_returns_the_same_ticket()
    {
        var marker = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        var first = await ResponseAssert.JsonAsync(await PostAsync(Form(marker), key: key), HttpStatusCode.Created);
        var again = await PostAsync(Form(marker), key: key);

        Assert.True(again.IsSuccessStatusCode, $"Replay answered {(int)again.StatusCode}");
        var second = await ResponseAssert.JsonAsync(again, again.StatusCode);
        Assert.Equal((string?)first["id"], (string?)second["id"]);
        Assert.Equal((string?)first["ticket_number"], (string?)second["ticket_number"]);
        Assert.Equal(1, await StoredAsync(marker));
    }

    [Fact]
    public async Task Submit_with_the_same_idempotency_key_and_another_body_is_a_409_problem()
    {
        var marker = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        await ResponseAssert.JsonAsync(await PostAsync(Form(marker), key: key), HttpStatusCode.Created);

        var other = Form(marker);
        other["message"] = $"Another message {marker}";
        await ResponseAssert.ProblemAsync(await PostAsync(other, key: key), HttpStatusCode.Conflict);
        Assert.Equal(1, await StoredAsync(marker));
    }

    [Fact]
    public async Task Concurrent_submits_with_the_same_idempotency_key_make_one_ticket()
    {
        var marker = Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        var clients = Enumerable.Range(0, 3).Select(_ => app.CreateClient()).ToArray();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => PostAsync(Form(marker), clients[i % clients.Length], key)));
        var ids = new HashSet<string?>();
        foreach (var response in responses)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            ids.Add((string?)(await ResponseAssert.JsonAsync(response, response.StatusCode))["id"]);
        }
        Assert.Single(ids);
        Assert.Equal(1, await StoredAsync(marker));
    }

    /// <summary>A valid form; the marker is in its subject and message so what it stored can be counted.</summary>
    internal static JsonObject Form(string marker) => new()
    {
        ["name"] = "Ada Lovelace",
        ["email"] = "ada@example.com",
        ["subject"] = $"Subject {marker}",
        ["message"] = $"Message {marker}",
        ["category"] = "bug",
    };

    internal static Task<HttpResponseMessage> PostAsync(ContactDeskApp app, JsonNode form, HttpClient? client = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SubmitUrl)
        {
            Content = new StringContent(form.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return (client ?? app.CreateClient()).SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(JsonNode form, HttpClient? client = null, string? key = null) =>
        PostAsync(app, form, client, key);

    private Task<int> StoredAsync(string marker) =>
        app.QueryAsync(db => db.Tickets.CountAsync(t => t.Subject.Contains(marker) || t.Message.Contains(marker)));

    /// <summary>A valid address of exactly this many characters (197 or more).</summary>
    internal static string EmailOfLength(int length) =>
        $"{new string('a', 64)}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', length - 197)}.com";

    private static DateTime UtcTimestamp(JsonObject ticket, string field)
    {
        var text = (string?)ticket[field];
        Assert.True(text is not null && text.EndsWith('Z'), $"{field} is not UTC ending in Z: {text}");
        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}

public sealed class SubmissionTestsOnSqlite(SqliteApp app) : SubmissionTests(app), IClassFixture<SqliteApp>;

public sealed class SubmissionTestsOnPostgres(PostgresApp app) : SubmissionTests(app), IClassFixture<PostgresApp>;

/// <summary>Ticket numbers under load, on a database of its own so the day's counter starts at 1.</summary>
public abstract class ConcurrentSubmissionTests(ContactDeskApp app)
{
    [Fact]
    public async Task Two_hundred_concurrent_submissions_get_distinct_consecutive_ticket_numbers()
    {
        const int count = 200;
        var marker = Guid.NewGuid().ToString("N");
        var clients = Enumerable.Range(0, 4).Select(_ => app.CreateClient()).ToArray();

        var responses = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(i => SubmissionTests.PostAsync(app, SubmissionTests.Form(marker), clients[i % clients.Length])));
        var numbers = new List<string>();
        foreach (var response in responses)
        {
            var ticket = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
            numbers.Add((string)ticket["ticket_number"]!);
        }

        Assert.Equal(count, numbers.Distinct().Count());
        Assert.Equal(count, await app.QueryAsync(db => db.Tickets.CountAsync()));
        // Per UTC day (the run may straddle midnight) the counters are exactly 1..n: no gaps, no repeats.
        foreach (var day in numbers.Select(n => n.Split('-')).GroupBy(parts => parts[1]))
        {
            var counters = day.Select(parts => int.Parse(parts[2], CultureInfo.InvariantCulture)).Order();
            Assert.Equal(Enumerable.Range(1, day.Count()), counters);
        }
    }
}

public sealed class ConcurrentSubmissionTestsOnSqlite(SqliteApp app) : ConcurrentSubmissionTests(app), IClassFixture<SqliteApp>;

public sealed class ConcurrentSubmissionTestsOnPostgres(PostgresApp app) : ConcurrentSubmissionTests(app), IClassFixture<PostgresApp>;

/// <summary>A memory stream that hides its length, as a network stream would.</summary>
internal sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
