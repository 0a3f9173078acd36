namespace ContactDesk.Conversation;

/// <summary>
/// A portal link sent to the submitter (<c>{PublicBaseUrl}/t/{token}</c>). Only the SHA-256 of the
/// token is kept, so the table cannot be turned back into working links.
/// </summary>
public sealed class PortalToken
{
    public Guid Id { get; set; }
    public Guid TicketId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token's text.</summary>
    public required string TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
