using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using ContactDesk.Audit;
using ContactDesk.Data;
using ContactDesk.Notifications;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ContactDesk.Sla;

/// <summary>
/// Finds the tickets whose warning or breach is due (off the <c>sla_next_check_at</c> index, never a
/// scan) and records each target's first warning and first breach once: a history entry at once,
/// and an email to the assignee (every admin while unassigned) that the outbox sends at the next
/// business-hours instant. Each record is claimed by a conditional UPDATE, so any number of
/// instances may run this at the same time.
/// </summary>
public sealed class SlaMonitor(IServiceScopeFactory scopes, TimeProvider clock, IMeterFactory meters, ILogger<SlaMonitor> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private const int Batch = 200;

    private readonly Counter<long> breaches = meters.Create(Operations.ContactDeskMetrics.MeterName).CreateCounter<long>(
        "contactdesk.sla.breaches", unit: "{breach}", description: "SLA targets breached (first response or resolution), counted once per ticket and target");

    private enum Target { FirstResponse, Resolution }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await RunOnceAsync(stopping);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested && DatabaseFaults.IsUnavailable(e))
                {
                    log.LogDebug("The SLA check waits for the database: {Error}", e.GetBaseException().Message);
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    log.LogWarning(e, "The SLA check failed; trying again in {Seconds} s.", Interval.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>One pass over every ticket due now; returns how many warnings and breaches it recorded.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var (_, policy) = await scope.ServiceProvider.GetRequiredService<SlaPolicyStore>().GetAsync(db, ct);
        if (policy is not { Enabled: true })
        {
            return 0;
        }
        var composer = scope.ServiceProvider.GetRequiredService<EmailComposer>();
        var recorded = 0;
        while (true)
        {
            var now = Microseconds(clock.GetUtcNow().UtcDateTime);
            var due = await db.Tickets.AsNoTracking().Where(t => t.SlaNextCheckAt <= now)
                .OrderBy(t => t.SlaNextCheckAt).Select(t => t.Id).Take(Batch).ToListAsync(ct);
            foreach (var id in due)
            {
                recorded += await CheckAsync(db, composer, policy, id, now, ct);
            }
            if (due.Count < Batch)
            {
                return recorded;
            }
        }
    }

    private async Task<int> CheckAsync(AppDbContext db, EmailComposer composer, SlaPolicy policy, Guid id, DateTime now, CancellationToken ct)
    {
        var recorded = 0;
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null)
        {
            return 0;
        }
        var warn = policy.WarnBefore.ToTimeSpan();
        var open = ticket.Status is TicketStatus.Pending or TicketStatus.InProgress && ticket.SlaPausedSince is null;
        if (open && ticket.FirstResponseAt is null && ticket.SlaFirstResponseDueAt is { } firstDue)
        {
            if (!ticket.SlaFirstResponseWarned && firstDue - warn <= now)
            {
                recorded += await RecordAsync(db, composer, policy, ticket, Target.FirstResponse, breach: false, firstDue, now, ct);
            }
            if (ticket.SlaFirstResponseMet is null && firstDue <= now)
            {
                recorded += await RecordAsync(db, composer, policy, ticket, Target.FirstResponse, breach: true, firstDue, now, ct);
            }
        }
        if (open && ticket.SlaResolutionDueAt is { } resolutionDue)
        {
            if (!ticket.SlaResolutionWarned && resolutionDue - warn <= now)
            {
                recorded += await RecordAsync(db, composer, policy, ticket, Target.Resolution, breach: false, resolutionDue, now, ct);
            }
            if (ticket.SlaResolutionMet is null && resolutionDue <= now)
            {
                recorded += await RecordAsync(db, composer, policy, ticket, Target.Resolution, breach: true, resolutionDue, now, ct);
            }
        }

        // The state and the next check from the row as it is now (another instance may have claimed some).
        ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is not null)
        {
            SlaClock.Evaluate(ticket, warn, now);
            if (ticket.SlaNextCheckAt <= now)
            {
                ticket.SlaNextCheckAt = null; // nothing left that time alone changes (a closed or inconsistent row): off the work list
            }
            // Only if nobody changed the ticket meanwhile; if someone did, their save worked all of this out.
            await db.Tickets.Where(t => t.Id == id && t.Version == ticket.Version)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaState, ticket.SlaState).SetProperty(t => t.SlaNextCheckAt, ticket.SlaNextCheckAt), ct);
        }
        return recorded;
    }

    /// <summary>Claims one record (warning or breach of a target) and writes its history entry and emails in the same transaction.</summary>
    private async Task<int> RecordAsync(AppDbContext db, EmailComposer composer, SlaPolicy policy, Ticket ticket, Target target, bool breach,
        DateTime dueAt, DateTime now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var tickets = db.Tickets.Where(t => t.Id == ticket.Id);
        var claimed = (target, breach) switch
        {
            (Target.FirstResponse, false) => await tickets.Where(t => !t.SlaFirstResponseWarned).ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaFirstResponseWarned, true), ct),
            (Target.FirstResponse, true) => await tickets.Where(t => t.SlaFirstResponseMet == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaFirstResponseMet, false), ct),
            (Target.Resolution, false) => await tickets.Where(t => !t.SlaResolutionWarned).ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaResolutionWarned, true), ct),
            _ => await tickets.Where(t => t.SlaResolutionMet == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaResolutionMet, false), ct),
        };
        if (claimed == 0)
        {
            return 0; // another instance recorded it
        }
        var targetName = target == Target.FirstResponse ? "first_response" : "resolution";
        db.AuditEntries.Add(new AuditEntry
        {
            TicketId = ticket.Id,
            TicketNumber = ticket.TicketNumber,
            At = now,
            Action = breach ? "sla_breached" : "sla_warning",
            // The trail's shape, {field: [before, after]}: what was recorded, and the deadline it was about.
            Changes = new JsonObject
            {
                ["target"] = new JsonArray(null, targetName),
                ["due_at"] = new JsonArray(null, dueAt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)),
            }.ToJsonString(),
        });
        var recipients = await RecipientsAsync(db, ticket.AssignedToId, ct);
        // Sent within business hours only: held in the outbox until the next one begins.
        var sendAt = policy.NextBusinessInstant(Instant.FromDateTimeUtc(now))?.ToDateTimeUtc() ?? now;
        foreach (var (email, name) in recipients)
        {
            var queued = composer.QueueSla(breach ? EmailKind.SlaBreached : EmailKind.SlaWarning, ticket, targetName, dueAt, email, name, now);
            queued.NextAttemptAt = sendAt < now ? now : sendAt;
            db.OutboxEmails.Add(queued);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        if (breach)
        {
            breaches.Add(1, new KeyValuePair<string, object?>("target", targetName));
        }
        return 1;
    }

    private static async Task<List<(string Email, string Name)>> RecipientsAsync(AppDbContext db, Guid? assigneeId, CancellationToken ct)
    {
        if (assigneeId is { } id && await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.Email, u.Name }).SingleOrDefaultAsync(ct) is { Email: { } email } user)
        {
            return [(email, user.Name)];
        }
        return await TicketEmailInterceptor.AdminsAsync(db, ct);
    }

    private static DateTime Microseconds(DateTime time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));
}
