using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace ContactDesk.Notifications;

public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    public string From { get; set; } = "ContactDesk <no-reply@localhost>";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where <c>.eml</c> files go when no SMTP host is set.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    /// <summary>Promised in the confirmation email, e.g. "within two business days".</summary>
    public string ExpectedResponseTime { get; set; } = "within two business days";

    public DispatchOptions Dispatch { get; set; } = new();

    public InboundOptions Inbound { get; set; } = new();

    /// <summary>Where the submitter's answers to a reply go: <c>Email:Inbound:Address</c>, else the From address.</summary>
    public string ReplyTo => string.IsNullOrWhiteSpace(Inbound.Address) ? From : Inbound.Address;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (!MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult($"Email:From '{From}' is not a valid address.", [nameof(From)]);
        }
        if (!string.IsNullOrWhiteSpace(Inbound.Address) && !MailboxAddress.TryParse(Inbound.Address, out _))
        {
            yield return new ValidationResult($"Email:Inbound:Address '{Inbound.Address}' is not a valid address.", ["Inbound.Address"]);
        }
        if (Smtp.Port is < 1 or > 65535)
        {
            yield return new ValidationResult("Email:Smtp:Port must be 1-65535.", ["Smtp.Port"]);
        }
        // Nested sections are not validated by ValidateDataAnnotations on their own.
        foreach (var section in new object[] { Inbound, Inbound.Imap })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Email:Inbound: {result.ErrorMessage}", result.MemberNames);
            }
        }
    }
}

public sealed class InboundOptions
{
    /// <summary>The address the submitter's answers are sent to (Reply-To of reply emails); empty: the From address.</summary>
    public string? Address { get; set; }

    /// <summary>The mailbox read for new mail (see <c>Inbound/</c>); no host, no polling.</summary>
    public Inbound.ImapOptions Imap { get; set; } = new();

    /// <summary>The bearer secret of <c>POST /api/v1/inbound/email</c>; empty: that endpoint answers 404.</summary>
    public string? Token { get; set; }

    /// <summary>A larger message is refused (413 over HTTP) or kept as failed.</summary>
    [Range(1024, 1L << 31)] public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>A folder whose <c>*.eml</c> files are ingested (development); empty: none.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>RFC 3834: at most this many confirmations to one sender per hour, however much it writes.</summary>
    [Range(0, 10_000)] public int AutoReplyLimitPerHour { get; set; } = 5;
}

public sealed class SmtpOptions
{
    /// <summary>Empty: write <c>.eml</c> files to the pickup directory instead.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>STARTTLS after connecting.</summary>
    public bool UseTls { get; set; }
}

/// <summary>How the outbox is worked; the defaults suit a single small server.</summary>
public sealed class DispatchOptions
{
    [Range(1, 1000)] public int BatchSize { get; set; } = 100;

    /// <summary>How often the outbox is checked when nothing signals new mail.</summary>
    [Range(0.05, 3600)] public double PollSeconds { get; set; } = 5;

    /// <summary>Attempts before an email is given up on (dead-lettered).</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the first retry; doubled each time (with jitter) up to <see cref="MaxRetrySeconds"/>.</summary>
    [Range(0.01, 86400)] public double FirstRetrySeconds { get; set; } = 30;

    [Range(0.01, 86400)] public double MaxRetrySeconds { get; set; } = 3600;

    /// <summary>How long a claimed batch is reserved; if its instance dies, another takes it after this.</summary>
    [Range(1, 86400)] public double LeaseSeconds { get; set; } = 120;

    /// <summary>False: this instance queues emails but never sends (another instance does).</summary>
    public bool Enabled { get; set; } = true;
}
