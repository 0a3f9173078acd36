using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Sqlite
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    slug = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    body_markdown = table.Column<string>(type: "TEXT", nullable: false),
                    body_html = table.Column<string>(type: "TEXT", nullable: false),
                    body_text = table.Column<string>(type: "TEXT", nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    author_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    author_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kb_articles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "kb_suggestion_visits",
                columns: table => new
                {
                    visit_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    opened_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    submitted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kb_suggestion_visits", x => x.visit_id);
                });

            migrationBuilder.CreateTable(
                name: "kb_old_slugs",
                columns: table => new
                {
                    slug = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    article_id = table.Column<Guid>(type: "TEXT", nullable: false)
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    article_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    slug = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    body_markdown = table.Column<string>(type: "TEXT", nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    editor_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    editor_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    edited_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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

            // Full-text index (FTS5, porter stemmer) of each article's title and plain-text body, kept
            // in step by triggers; KnowledgeBase/ArticleSearch.cs ranks with bm25, title weighted 10:1.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE kb_fts USING fts5(article_id UNINDEXED, title, body, tokenize = 'porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
                    INSERT INTO kb_fts (article_id, title, body) VALUES (new.id, new.title, new.body_text);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF title, body_text ON kb_articles BEGIN
                    DELETE FROM kb_fts WHERE article_id = old.id;
                    INSERT INTO kb_fts (article_id, title, body) VALUES (new.id, new.title, new.body_text);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
                    DELETE FROM kb_fts WHERE article_id = old.id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS kb_articles_fts_insert;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS kb_articles_fts_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS kb_articles_fts_delete;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS kb_fts;");

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
