using Microsoft.EntityFrameworkCore;

namespace ContactDesk.KnowledgeBase;

/// <summary>
/// The knowledge base's tables. The full-text index of each provider (PostgreSQL's search_vector
/// column with its GIN index, SQLite's kb_fts table and triggers) is made by raw SQL in the
/// KnowledgeBase migrations, outside EF's model.
/// </summary>
public static class KnowledgeBaseModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Article>(a =>
        {
            a.ToTable("kb_articles");
            a.Property(x => x.Slug).HasMaxLength(ArticleValidator.MaxSlug);
            a.HasIndex(x => x.Slug).IsUnique();
            a.Property(x => x.Title).HasMaxLength(ArticleValidator.MaxTitle);
            a.Property(x => x.Category).HasMaxLength(ArticleValidator.MaxCategory);
            a.Property(x => x.AuthorName).HasMaxLength(255);
            a.Property(x => x.Version).IsConcurrencyToken();
            a.HasIndex(x => new { x.Status, x.Category, x.Title });
        });

        model.Entity<ArticleOldSlug>(s =>
        {
            s.ToTable("kb_old_slugs");
            s.HasKey(x => x.Slug);
            s.Property(x => x.Slug).HasMaxLength(ArticleValidator.MaxSlug);
            s.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
            s.HasIndex(x => x.ArticleId);
        });

        model.Entity<ArticleRevision>(r =>
        {
            r.ToTable("kb_revisions");
            r.Property(x => x.Title).HasMaxLength(ArticleValidator.MaxTitle);
            r.Property(x => x.Slug).HasMaxLength(ArticleValidator.MaxSlug);
            r.Property(x => x.Category).HasMaxLength(ArticleValidator.MaxCategory);
            r.Property(x => x.EditorName).HasMaxLength(255);
            r.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
            r.HasIndex(x => new { x.ArticleId, x.Version });
        });

        model.Entity<SuggestionVisit>(v =>
        {
            v.ToTable("kb_suggestion_visits");
            v.HasKey(x => x.VisitId);
            v.Property(x => x.VisitId).HasMaxLength(64);
            v.HasIndex(x => x.OpenedAt);
        });
    }
}
