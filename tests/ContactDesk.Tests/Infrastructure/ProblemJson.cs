using System.Net;
using System.Text.Json.Nodes;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>Checks the contract's error shape: RFC 9457 problem details with status, title and detail.</summary>
public static class ProblemJson
{
    /// <summary>Text that would show an exception's internals: a .NET stack frame, an exception type, SQL, a database error.</summary>
    public static readonly string[] Internals =
    [
        "   at ", "Exception", "StackTrace", "stack_trace", "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM",
        "Npgsql", "Microsoft.Data.Sqlite", "SQLite Error", "no such table", "relation \"",
    ];

    /// <summary>Asserts <paramref name="response"/> is a problem of <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var internals in Internals)
        {
            Assert.DoesNotContain(internals, text, StringComparison.Ordinal);
        }

        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), $"No title: {text}");
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), $"No detail: {text}");
        return problem;
    }
}
