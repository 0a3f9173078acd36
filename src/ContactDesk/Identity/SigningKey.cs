namespace ContactDesk.Identity;

/// <summary>
/// The JWT signing key kept in the database when none is configured, so that every instance
/// sharing the database accepts the tokens of the others.
/// </summary>
public sealed class SigningKey
{
    public int Id { get; set; }
    public required byte[] Key { get; set; }
    public DateTime CreatedAt { get; set; }
}
