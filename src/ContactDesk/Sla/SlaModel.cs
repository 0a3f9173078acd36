using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Sla;

/// <summary>The policy's one row: the contract's JSON as sent (validated), so the API answers exactly what was stored.</summary>
public sealed class SlaPolicyRow
{
    public const int TheId = 1;
    public int Id { get; set; } = TheId;
    public required string Settings { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The SLA columns and table, configured here so the shared model only names them.</summary>
public static class SlaModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<SlaPolicyRow>(p =>
        {
            p.ToTable("sla_policy");
            p.Property(x => x.Id).ValueGeneratedNever();
        });
        model.Entity<Ticket>(t =>
        {
            t.Property(x => x.SlaState).HasConversion(v => WireNames.Of(v!.Value), s => WireNames.Parse<SlaState>(s)).HasMaxLength(16);
            // The job's work list: tickets whose next warning, breach or state change is due.
            t.HasIndex(x => x.SlaNextCheckAt);
            // sla=warning|breached in the queue's default order, and the count of open breaches.
            t.HasIndex(x => new { x.SlaState, x.CreatedAt, x.Id }).IsDescending(false, true, true);
            // The queue's total for sla=: counted from the index alone (the archived ones left out), not the heap.
            t.HasIndex(x => new { x.SlaState, x.Status });
            // Compliance in the statistics: counts of met and missed targets.
            t.HasIndex(x => x.SlaFirstResponseMet);
            t.HasIndex(x => x.SlaResolutionMet);
        });
    }
}
