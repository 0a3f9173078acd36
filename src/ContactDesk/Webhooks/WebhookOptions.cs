using System.ComponentModel.DataAnnotations;

namespace ContactDesk.Webhooks;

/// <summary>The <c>Webhooks</c> section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Allow loopback, private and link-local destinations (a receiver on the same host or network). Off: refused.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take, connecting included.</summary>
    [Range(0.1, 300)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Consecutive failed attempts of a webhook after which it is paused (active=false) and the admins are emailed.</summary>
    [Range(1, 100_000)]
    public int PauseAfterFailures { get; set; } = 20;

    /// <summary>Attempts of one delivery before it is given up (state failed); an admin may redeliver it.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The first retry's delay; each next one doubles, up to <see cref="MaxRetrySeconds"/>, with jitter.</summary>
    [Range(0.01, 86_400)]
    public double FirstRetrySeconds { get; set; } = 10;

    [Range(0.01, 86_400)]
    public double MaxRetrySeconds { get; set; } = 3600;

    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 5;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>How long a claimed batch is this instance's; after it, another instance may take what is left.</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Off: this instance sends no webhooks (others may).</summary>
    public bool DispatchEnabled { get; set; } = true;
}
