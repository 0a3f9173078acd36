using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KnowledgeBase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kb_articles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body_markdown = table.Column<string>(type: "text", nullable: false),
                    body_html = table.Column<string>(type: "text", nullable: false),
                    body_text = table.Column<string>(type: "text", nullable: false),
                    category = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    author_id = table.Column<Guid>(type: "uuid", nullable: true),
                    author_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kb_articles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "kb_suggestion_visits",
                columns: table => new
                {
                    visit_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    opened_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    submitted_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kb_suggestion_visits", x => x.visit_id);
                });

            migrationBuilder.CreateTable(
                name: "kb_old_slugs",
                columns: table => new
                {
                    slug = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    article_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kb_old_slugs", x => x.slug);
                    table.ForeignKey(
                        name: "fk_kb_old_slugs_kb_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "kb_articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "kb_revisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    article_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    slug = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    body_markdown = table.Column<string>(type: "text", nullable: false),
                    category = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    editor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    editor_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    edited_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kb_revisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_kb_revisions_kb_articles_article_id",
                        column: x => x.article_id,
                        principalTable: "kb_articles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_kb_articles_slug",
                table: "kb_articles",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_kb_articles_status_category_title",
                table: "kb_articles",
                columns: new[] { "status", "category", "title" });

            migrationBuilder.CreateIndex(
                name: "ix_kb_old_slugs_article_id",
                table: "kb_old_slugs",
                column: "article_id");

            migrationBuilder.CreateIndex(
                name: "ix_kb_revisions_article_id_version",
                table: "kb_revisions",
                columns: new[] { "article_id", "version" });

            migrationBuilder.CreateIndex(
                name: "ix_kb_suggestion_visits_opened_at",
                table: "kb_suggestion_visits",
                column: "opened_at");

            // Full-text search vector: the title weighted A above the body's B, English stemming;
            // stored (computed on write) and GIN-indexed. KnowledgeBase/ArticleSearch.cs queries it.
            migrationBuilder.Sql("""
                ALTER TABLE kb_articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body_text), 'B')) STORED;
                """);
            migrationBuilder.Sql("CREATE INDEX ix_kb_articles_search_vector ON kb_articles USING gin (search_vector);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_kb_articles_search_vector;");
            migrationBuilder.Sql("ALTER TABLE kb_articles DROP COLUMN IF EXISTS search_vector;");

            migrationBuilder.DropTable(
                name: "kb_old_slugs");

            migrationBuilder.DropTable(
                name: "kb_revisions");

            migrationBuilder.DropTable(
                name: "kb_suggestion_visits");

            migrationBuilder.DropTable(
                name: "kb_articles");
        }
    }
}
