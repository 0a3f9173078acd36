namespace ContactDesk.Identity;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Base64 HMAC key of at least 32 bytes. Empty: one is made and kept in the database.</summary>
    public string? SigningKey { get; set; }

    public int TokenLifetimeMinutes { get; set; } = 60;

    public const string Issuer = "contactdesk";
    public const string Audience = "contactdesk-api";
}
