using ContactDesk.Sla;
using ContactDesk.Tags;
using ContactDesk.Tickets;

namespace ContactDesk.Bench;

/// <summary>
/// A seeded ticket's triage: a priority (70% normal, 15% high, 10% low, 5% urgent), tags on about a
/// third of the tickets (a few common ones, thousands of rare ones), and the SLA columns the app
/// would hold had the policy been on for the last <see cref="SlaDays"/> days, with every warning and
/// breach already recorded by the job (so its work list holds only what is still to come).
/// </summary>
public sealed class Triage(SlaPolicy? policy, DateTime now)
{
    public const int SlaDays = 90;

    /// <summary>The common tags with their share of the picks; <see cref="RareShare"/> of the picks go to one of <see cref="RareTags"/>.</summary>
    public static readonly (string Name, double Weight)[] CommonTags =
    [
        ("billing", 0.30), ("login", 0.20), ("refund", 0.15), ("bug", 0.12), ("mobile", 0.08), ("vip", 0.05), ("shipping", 0.05), ("feature-request", 0.05),
    ];

    public const double TaggedShare = 0.35, RareShare = 0.2;
    public const int RareTags = 5_000;

    private readonly Random random = new(20261130);

    public Ticket Next(DateTime createdAt, TicketStatus status, DateTime? resolvedAt, WaitingOn? waitingOn)
    {
        var roll = random.NextDouble();
        var t = new Ticket
        {
            TicketNumber = "", Name = "", Email = "", Subject = "", Message = "",
            CreatedAt = createdAt, Status = status, ResolvedAt = resolvedAt, WaitingOn = waitingOn,
            Priority = roll < 0.70 ? TicketPriority.Normal : roll < 0.85 ? TicketPriority.High : roll < 0.95 ? TicketPriority.Low : TicketPriority.Urgent,
            Tags = random.NextDouble() < TaggedShare ? TagNames.Join(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Tag()).Distinct()) : "",
        };
        if (policy is not null && (now - createdAt).TotalDays < SlaDays)
        {
            Sla(t);
        }
        return t;
    }

    private string Tag()
    {
        if (random.NextDouble() < RareShare)
        {
            var r = random.NextDouble();
            return $"acct-{(int)(RareTags * r * r):D4}"; // a few rare tags on hundreds of tickets, most on a handful
        }
        var pick = random.NextDouble();
        foreach (var (name, weight) in CommonTags)
        {
            if ((pick -= weight) < 0)
            {
                return name;
            }
        }
        return CommonTags[0].Name;
    }

    /// <summary>Deadlines as the app works them out at creation, and the job's records up to now.</summary>
    private void Sla(Ticket t)
    {
        SlaClock.Apply(t, policy, t.CreatedAt, fromCreation: true);
        var warn = policy!.WarnBefore.ToTimeSpan();
        // Recorded by the job as the time came: up to now for open tickets, up to their resolution for the others.
        var until = t.ResolvedAt ?? now;
        if (t.SlaFirstResponseDueAt is { } first)
        {
            t.SlaFirstResponseWarned = first - warn <= until;
            t.SlaFirstResponseMet = first <= until ? false : null;
        }
        if (t.SlaResolutionDueAt is { } resolution)
        {
            t.SlaResolutionWarned = resolution - warn <= until;
            t.SlaResolutionMet = t.ResolvedAt is { } resolved ? resolved <= resolution : resolution <= now ? false : null;
        }
        SlaClock.Evaluate(t, warn, now);
    }
}
