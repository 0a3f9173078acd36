using System.ComponentModel.DataAnnotations;

namespace ContactDesk.Inbound;

/// <summary>An IMAP mailbox to read (<c>Email:Inbound:Imap</c>); no host, no polling.</summary>
public sealed class ImapOptions
{
    public string? Host { get; set; }
    [Range(1, 65535)] public int Port { get; set; } = 993;
    public bool UseTls { get; set; } = true;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string Folder { get; set; } = "INBOX";

    /// <summary>How often to look for new mail when the server offers no IDLE (and how long one IDLE lasts).</summary>
    [Range(0.05, 86400)] public double PollSeconds { get; set; } = 30;

    /// <summary>Where ingested messages are moved; empty: they stay, flagged \Seen.</summary>
    public string? ProcessedFolder { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
