using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Tokens are the whitespace-free pieces of a ticket's search text; whitespace is the six
            // characters that PostgresAppDbContext.TokenSeparators lists, and nothing else (\x0B is the
            // vertical tab: PostgreSQL's E'' strings have no \v).
            migrationBuilder.Sql("""
                -- PL/pgSQL, not SQL: a SQL function would be inlined and planned as a few cheap
                -- operators, and the planner would then read a common word's matches by tokenizing every
                -- row of a parallel scan (50 us a row) instead of using the index. COST says what it costs.
                CREATE FUNCTION ticket_text_tokens(search_text text) RETURNS text[]
                    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000
                    AS $$ BEGIN RETURN array_remove(string_to_array(translate(search_text, E'\t\n\r\f\x0B', '     '), ' ', ''), NULL); END $$;

                -- Every token of every ticket, once: a term's matching tokens are found by trigrams here.
                CREATE TABLE search_tokens (token text PRIMARY KEY);

                -- Nearly every token of a new ticket is known already: looking each up is about three
                -- times cheaper than letting ON CONFLICT find out, which stays for concurrent inserts.
                CREATE FUNCTION search_tokens_track() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO search_tokens (token)
                    SELECT DISTINCT new_token.token FROM unnest(ticket_text_tokens(NEW.search_text)) AS new_token(token)
                    WHERE NOT EXISTS (SELECT 1 FROM search_tokens known WHERE known.token = new_token.token)
                    ORDER BY new_token.token -- one order for every writer: two submissions adding the same new words cannot deadlock
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER search_tokens_track AFTER INSERT OR UPDATE OF search_text ON tickets
                    FOR EACH ROW EXECUTE FUNCTION search_tokens_track();

                -- Adds the tokens of every ticket: for existing data now, and for operators after a bulk
                -- load that bypassed triggers.
                CREATE FUNCTION search_tokens_rebuild() RETURNS void LANGUAGE sql AS $$
                    LOCK TABLE tickets IN SHARE MODE;
                    INSERT INTO search_tokens (token)
                    SELECT DISTINCT token FROM tickets, unnest(ticket_text_tokens(search_text)) AS token
                    ON CONFLICT DO NOTHING;
                $$;

                SELECT search_tokens_rebuild();

                CREATE INDEX ix_search_tokens_token_trgm ON search_tokens USING gin (token gin_trgm_ops);
                CREATE INDEX ix_tickets_search_tokens ON tickets USING gin (ticket_text_tokens(search_text));

                -- A search compares the status as (status || ''), which no index serves (see
                -- PostgresAppDbContext.SearchAsync); these statistics give the planner its selectivity.
                CREATE STATISTICS tickets_status_text ON (status || '') FROM tickets;
                ANALYZE tickets;
                """);

            migrationBuilder.DropIndex(
                name: "ix_tickets_search_text",
                table: "tickets");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER search_tokens_track ON tickets;
                DROP FUNCTION search_tokens_track();
                DROP FUNCTION search_tokens_rebuild();
                DROP STATISTICS tickets_status_text;
                DROP INDEX ix_tickets_search_tokens;
                DROP TABLE search_tokens;
                DROP FUNCTION ticket_text_tokens(text);
                """);

            migrationBuilder.CreateIndex(
                name: "ix_tickets_search_text",
                table: "tickets",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }
    }
}
