using System.Net;
using System.Text.Json.Nodes;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>Assertions on what the app sends back over the wire; failures show the body received.</summary>
public static class ResponseAssert
{
    /// <summary>A JSON success body with this status.</summary>
    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>An RFC 9457 problem with this status and a title and a detail.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int?)body["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["title"]), $"The problem has no title: {text}");
        Assert.False(string.IsNullOrWhiteSpace((string?)body["detail"]), $"The problem has no detail: {text}");
        return body;
    }

    /// <summary>A 400 problem whose <c>errors</c> has at least one message for each of these fields.</summary>
    public static async Task<JsonObject> ValidationProblemAsync(HttpResponseMessage response, params string[] fields)
    {
        var body = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = body["errors"] as JsonObject;
        Assert.True(errors is not null, $"The problem has no errors: {body.ToJsonString()}");
        foreach (var field in fields)
        {
            Assert.True(errors[field] is JsonArray { Count: > 0 }, $"No errors.{field} in: {body.ToJsonString()}");
        }
        return body;
    }
}
