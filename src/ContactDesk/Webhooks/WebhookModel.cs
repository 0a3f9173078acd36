using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Webhooks;

public static class WebhookModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Webhook>(w =>
        {
            w.ToTable("webhooks");
            w.Property(x => x.Url).HasMaxLength(2000);
            w.Property(x => x.Events).HasMaxLength(200);
            w.Property(x => x.Secret).HasMaxLength(100);
            w.Ignore(x => x.EventList);
        });

        model.Entity<WebhookDelivery>(d =>
        {
            d.ToTable("webhook_deliveries");
            d.Property(x => x.Event).HasMaxLength(32);
            d.Property(x => x.State).HasConversion(v => WireNames.Of(v), s => WireNames.Parse<WebhookDeliveryState>(s)).HasMaxLength(16);
            d.Property(x => x.LastError).HasMaxLength(2000);
            d.HasOne<Webhook>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
            d.HasIndex(x => new { x.State, x.NextAttemptAt });
            d.HasIndex(x => new { x.WebhookId, x.CreatedAt });
            d.HasIndex(x => x.TicketId);
        });
    }
}
