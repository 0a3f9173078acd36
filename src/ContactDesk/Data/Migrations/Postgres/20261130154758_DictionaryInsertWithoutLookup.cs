using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
{
    /// <summary>
    /// The dictionary trigger no longer looks its tokens up before inserting them. pg_trgm's GIN
    /// operator class also answers '=', so on a new installation (small table, stale statistics)
    /// the planner sent each of a ticket's ~100 lookups to the trigram index, whose pending list
    /// every lookup reads whole: 20-50 ms of CPU per submission, or a hash of the whole dictionary
    /// per submission. ON CONFLICT always checks the primary key's btree, with no plan to go wrong.
    /// See docs/performance.md, "Submissions on a new installation".
    /// </summary>
    public partial class DictionaryInsertWithoutLookup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION search_tokens_track() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO search_tokens (token)
                    SELECT DISTINCT new_token.token FROM unnest(ticket_text_tokens(NEW.search_text)) AS new_token(token)
                    ORDER BY new_token.token -- one order for every writer: two submissions adding the same new words cannot deadlock
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION search_tokens_track() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO search_tokens (token)
                    SELECT DISTINCT new_token.token FROM unnest(ticket_text_tokens(NEW.search_text)) AS new_token(token)
                    WHERE NOT EXISTS (SELECT 1 FROM search_tokens known WHERE known.token = new_token.token)
                    ORDER BY new_token.token
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
