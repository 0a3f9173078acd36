using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ContactDesk.Webhooks;

/// <summary>The body of a delivery and its signature.</summary>
public static class WebhookPayload
{
    /// <summary><c>{id, event, occurred_at, data}</c>, as sent.</summary>
    public static string Render(Guid id, string name, DateTime occurredAt, JsonNode data) => new JsonObject
    {
        ["id"] = id.ToString(),
        ["event"] = name,
        ["occurred_at"] = DateTime.SpecifyKind(occurredAt, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"),
        ["data"] = data,
    }.ToJsonString();

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes, keyed with the secret's UTF-8 bytes.</summary>
    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>A new secret: 32 random bytes as hex, prefixed so it is recognisable in a config file.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
