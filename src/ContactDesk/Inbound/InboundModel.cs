using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Inbound;

/// <summary>The inbound tables, configured here so the shared model only names them.</summary>
public static class InboundModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<InboundEmail>(e =>
        {
            e.ToTable("inbound_emails");
            e.Property(x => x.Key).HasMaxLength(300);
            e.HasIndex(x => x.Key).IsUnique();
            e.Property(x => x.Error).HasMaxLength(2000);
            // The processor's claim: rows still to do, oldest first.
            e.HasIndex(x => new { x.State, x.ReceivedAt });
            e.HasIndex(x => x.TicketMessageId);
        });
        // The hourly confirmation limit per sender (RFC 3834) counts these, once per new email ticket.
        model.Entity<Notifications.OutboxEmail>().HasIndex(x => new { x.ToAddress, x.CreatedAt });
        model.Entity<InboundMailbox>(m =>
        {
            m.ToTable("inbound_mailboxes");
            m.HasKey(x => x.Name);
            m.Property(x => x.Name).HasMaxLength(600);
        });
    }
}
