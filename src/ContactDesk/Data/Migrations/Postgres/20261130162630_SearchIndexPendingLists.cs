using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
{
    /// <summary>
    /// The two GIN indexes that search reads keep new entries in a pending list until it is merged,
    /// and every search reads the whole list: at the default 4 MB (a few thousand submissions) a
    /// lookup of one token took 3.5-8.7 ms instead of about 1. A 256 kB list keeps that small and cost
    /// the inserts no more CPU (docs/performance.md, "Submissions on a new installation").
    /// </summary>
    public partial class SearchIndexPendingLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER INDEX ix_tickets_search_tokens SET (gin_pending_list_limit = 256);
                ALTER INDEX ix_search_tokens_token_trgm SET (gin_pending_list_limit = 256);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER INDEX ix_tickets_search_tokens RESET (gin_pending_list_limit);
                ALTER INDEX ix_search_tokens_token_trgm RESET (gin_pending_list_limit);
                """);
        }
    }
}
