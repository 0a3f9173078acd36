using ContactDesk.Tickets;
using NodaTime;

namespace ContactDesk.Sla;

/// <summary>
/// A ticket's deadlines, state and next check, worked out from its columns and the policy. The
/// clock runs exactly while the ticket waits on staff: waiting on the submitter (and being closed)
/// stops it, and the business time it stood still moves both deadlines later when it runs again.
/// Deadlines count from creation, so a priority change recomputes them as if it had always been so.
/// </summary>
public static class SlaClock
{
    /// <summary>Brings <paramref name="t"/>'s SLA columns up to date after a change (or its creation) at <paramref name="nowUtc"/>.</summary>
    /// <param name="fromCreation">The priority changed: both deadlines are worked out again from creation.</param>
    public static void Apply(Ticket t, SlaPolicy? policy, DateTime nowUtc, bool fromCreation)
    {
        if (policy is not { Enabled: true })
        {
            Clear(t);
            return;
        }
        var now = Instant.FromDateTimeUtc(nowUtc);
        var running = t.WaitingOn == WaitingOn.Staff;
        var recompute = fromCreation || t.SlaResolutionDueAt is null;
        if (t.SlaPausedSince is { } since && running)
        {
            // Resumed. A pause that began after the deadline had passed does not undo the breach.
            if (t.SlaResolutionDueAt is not { } due || since < due)
            {
                t.SlaPausedSeconds += (long)policy.Between(Utc(since), now).TotalSeconds;
                recompute = true;
            }
            t.SlaPausedSince = null;
        }
        else if (!running && t.SlaPausedSince is null)
        {
            t.SlaPausedSince = nowUtc;
        }
        if (recompute)
        {
            var target = policy.TargetFor(t.Priority);
            var created = Utc(t.CreatedAt);
            var paused = Duration.FromSeconds(t.SlaPausedSeconds);
            if (t.FirstResponseAt is null || fromCreation || t.SlaFirstResponseDueAt is null)
            {
                t.SlaFirstResponseDueAt = Time(policy.Add(created, Duration.FromMinutes(target.FirstResponseMinutes) + paused));
            }
            t.SlaResolutionDueAt = Time(policy.Add(created, Duration.FromMinutes(target.ResolutionMinutes) + paused));
        }
        if (t.FirstResponseAt is { } answered && t.SlaFirstResponseMet is null)
        {
            t.SlaFirstResponseMet = answered <= t.SlaFirstResponseDueAt;
        }
        if (t.Status == TicketStatus.Resolved && t.ResolvedAt is { } resolved)
        {
            t.SlaResolutionMet ??= resolved <= t.SlaResolutionDueAt;
        }
        else if (t.Status != TicketStatus.Archived && t.SlaResolutionMet == true)
        {
            t.SlaResolutionMet = null; // reopened: to be met again
        }
        Evaluate(t, policy.WarnBefore.ToTimeSpan(), nowUtc);
    }

    /// <summary>The state and the next check from the deadlines and flags (what the job does when time passes).</summary>
    public static void Evaluate(Ticket t, TimeSpan warnBefore, DateTime now)
    {
        if (t.SlaResolutionDueAt is not { } resolutionDue)
        {
            return;
        }
        if (t.Status is TicketStatus.Resolved or TicketStatus.Archived)
        {
            t.SlaState = t.ResolvedAt is null ? null : t.SlaResolutionMet == true ? SlaState.Met : SlaState.Breached;
            t.SlaNextCheckAt = null;
            return;
        }
        var firstResponsePending = t.FirstResponseAt is null && t.SlaFirstResponseDueAt is not null;
        var due = firstResponsePending && t.SlaFirstResponseDueAt < resolutionDue ? t.SlaFirstResponseDueAt!.Value : resolutionDue;
        // Paused: the state stands as it was when the clock stopped.
        var reference = t.SlaPausedSince ?? now;
        t.SlaState = due <= reference ? SlaState.Breached : due - warnBefore <= reference ? SlaState.Warning : SlaState.Ok;
        if (t.SlaPausedSince is not null)
        {
            t.SlaNextCheckAt = null;
            return;
        }
        var next = new List<DateTime>();
        if (firstResponsePending)
        {
            Due(next, t.SlaFirstResponseDueAt!.Value, warnBefore, t.SlaFirstResponseWarned, t.SlaFirstResponseMet);
        }
        Due(next, resolutionDue, warnBefore, t.SlaResolutionWarned, t.SlaResolutionMet);
        if (t.SlaState == SlaState.Ok)
        {
            next.Add(due - warnBefore);
        }
        else if (t.SlaState == SlaState.Warning)
        {
            next.Add(due);
        }
        t.SlaNextCheckAt = next.Count == 0 ? null : next.Min();
    }

    private static void Due(List<DateTime> next, DateTime due, TimeSpan warnBefore, bool warned, bool? met)
    {
        if (!warned)
        {
            next.Add(due - warnBefore);
        }
        if (met is null)
        {
            next.Add(due);
        }
    }

    private static void Clear(Ticket t)
    {
        t.SlaFirstResponseDueAt = t.SlaResolutionDueAt = t.SlaPausedSince = t.SlaNextCheckAt = null;
        t.SlaState = null;
        t.SlaPausedSeconds = 0;
    }

    private static Instant Utc(DateTime time) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static DateTime? Time(Instant? instant) => instant?.ToDateTimeUtc();
}
