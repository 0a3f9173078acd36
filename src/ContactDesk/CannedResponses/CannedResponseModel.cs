using ContactDesk.Tags;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.CannedResponses;

public static class CannedResponseModel
{
    public static void Configure(ModelBuilder model) => model.Entity<CannedResponse>(c =>
    {
        c.ToTable("canned_responses");
        c.Property(x => x.Title).HasMaxLength(CannedResponseInput.TitleMax);
        c.Property(x => x.AddTags).HasMaxLength(TagNames.ColumnLength);
        // A person's own responses go with their account.
        c.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
        // What a person may use: the shared ones and their own, by title.
        c.HasIndex(x => new { x.Shared, x.Title });
        c.HasIndex(x => new { x.OwnerId, x.Title });
    });
}
