using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Tags;

/// <summary>
/// The tag tables. <c>tags.ticket_count</c> is kept by triggers on <c>ticket_tags</c>, made by raw SQL
/// in the Tags migrations: autocomplete reads a count per tag instead of counting tickets.
/// </summary>
public static class TagModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Ticket>().Property(t => t.Tags).HasMaxLength(TagNames.ColumnLength);

        model.Entity<Tag>(t =>
        {
            t.ToTable("tags");
            t.Property(x => x.Name).HasMaxLength(TagNames.MaxLength);
            t.HasIndex(x => x.Name).IsUnique();
        });

        model.Entity<TicketTag>(t =>
        {
            t.ToTable("ticket_tags");
            // The key serves "this ticket's tags"; the second index "the tickets having this tag", read
            // as ticket ids straight off the index, so that two tags intersect without touching tickets.
            t.HasKey(x => new { x.TicketId, x.TagId });
            t.HasIndex(x => new { x.TagId, x.TicketId });
            t.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            t.HasOne<Tag>().WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
