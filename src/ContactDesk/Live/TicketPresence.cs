using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Live;

/// <summary>
/// A staff member with a ticket open, kept alive by the page's heartbeat: a row that is not renewed
/// before <see cref="ExpiresAt"/> means the page is gone. A table, so every instance sees it.
/// </summary>
public sealed class TicketPresence
{
    public Guid TicketId { get; set; }
    public Guid UserId { get; set; }
    public required string UserName { get; set; }

    /// <summary>Writing in the reply form (its text changed within the last heartbeat or so).</summary>
    public bool Typing { get; set; }

    public DateTime ExpiresAt { get; set; }

    public static void Configure(ModelBuilder model) => model.Entity<TicketPresence>(p =>
    {
        p.ToTable("ticket_presence");
        p.HasKey(x => new { x.TicketId, x.UserId });
        p.Property(x => x.UserName).HasMaxLength(255);
        p.HasIndex(x => x.ExpiresAt);
        p.HasOne<Tickets.Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
    });
}
