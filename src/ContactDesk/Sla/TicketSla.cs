using ContactDesk.Sla;

namespace ContactDesk.Tickets;

/// <summary>A ticket's SLA bookkeeping (see <see cref="SlaClock"/>); every column null or false while the policy is off.</summary>
public sealed partial class Ticket
{
    public DateTime? SlaFirstResponseDueAt { get; set; }
    public DateTime? SlaResolutionDueAt { get; set; }
    public SlaState? SlaState { get; set; }

    /// <summary>Since when the clock stands still (waiting on the submitter, or closed); null while it runs.</summary>
    public DateTime? SlaPausedSince { get; set; }

    /// <summary>Business time spent paused before the resolution deadline, in seconds: the deadlines move later by it.</summary>
    public long SlaPausedSeconds { get; set; }

    /// <summary>When the SLA job next has something to do for this ticket (indexed: the job never scans).</summary>
    public DateTime? SlaNextCheckAt { get; set; }

    /// <summary>The warning of each target was recorded (history and email); set once, by a conditional update.</summary>
    public bool SlaFirstResponseWarned { get; set; }
    public bool SlaResolutionWarned { get; set; }

    /// <summary>Each target met in time (true), missed (false), or not decided yet (null). Missed is recorded once, by the job's claim.</summary>
    public bool? SlaFirstResponseMet { get; set; }
    public bool? SlaResolutionMet { get; set; }
}
