using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
{
    /// <summary>
    /// How many unarchived tickets carry each tag and each pair of tags (Tags/TagPairCounts.cs), kept
    /// by a trigger on tickets.tag_ids and status. Each change adds its differences in one statement,
    /// pairs in sorted order so that concurrent changes lock the rows in the same order.
    /// </summary>
    public partial class TagPairCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE tag_pair_counts (
                    tag_a integer NOT NULL,
                    tag_b integer NOT NULL,
                    tickets integer NOT NULL,
                    CONSTRAINT pk_tag_pair_counts PRIMARY KEY (tag_a, tag_b));

                CREATE FUNCTION tag_pair_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    old_ids integer[];
                    new_ids integer[];
                BEGIN
                    IF TG_OP <> 'INSERT' AND OLD.status <> 'archived' THEN old_ids := OLD.tag_ids; END IF;
                    IF TG_OP <> 'DELETE' AND NEW.status <> 'archived' THEN new_ids := NEW.tag_ids; END IF;
                    IF old_ids IS NOT DISTINCT FROM new_ids THEN RETURN NULL; END IF;
                    INSERT INTO tag_pair_counts (tag_a, tag_b, tickets)
                    SELECT a, b, sum(d) FROM (
                        SELECT a, b, -1 AS d FROM unnest(old_ids) AS a, unnest(old_ids) AS b WHERE a <= b
                        UNION ALL
                        SELECT a, b, 1 FROM unnest(new_ids) AS a, unnest(new_ids) AS b WHERE a <= b) AS changes
                    GROUP BY a, b HAVING sum(d) <> 0
                    ORDER BY a, b
                    ON CONFLICT (tag_a, tag_b) DO UPDATE SET tickets = tag_pair_counts.tickets + excluded.tickets;
                    RETURN NULL;
                END $$;

                -- A submission has no tags: the trigger is not even called for it.
                CREATE TRIGGER tag_pair_counts_on_insert AFTER INSERT ON tickets
                    FOR EACH ROW WHEN (NEW.tag_ids IS NOT NULL) EXECUTE FUNCTION tag_pair_counts_track();
                CREATE TRIGGER tag_pair_counts_on_update AFTER UPDATE OF tag_ids, status ON tickets
                    FOR EACH ROW WHEN (OLD.tag_ids IS NOT NULL OR NEW.tag_ids IS NOT NULL) EXECUTE FUNCTION tag_pair_counts_track();
                CREATE TRIGGER tag_pair_counts_on_delete AFTER DELETE ON tickets
                    FOR EACH ROW WHEN (OLD.tag_ids IS NOT NULL) EXECUTE FUNCTION tag_pair_counts_track();

                CREATE FUNCTION tag_pair_counts_rebuild() RETURNS void LANGUAGE sql AS $$
                    DELETE FROM tag_pair_counts;
                    INSERT INTO tag_pair_counts (tag_a, tag_b, tickets)
                    SELECT a, b, count(*) FROM tickets, unnest(tag_ids) AS a, unnest(tag_ids) AS b
                    WHERE tag_ids IS NOT NULL AND status <> 'archived' AND a <= b
                    GROUP BY a, b;
                $$;

                SELECT tag_pair_counts_rebuild();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER tag_pair_counts_on_insert ON tickets;
                DROP TRIGGER tag_pair_counts_on_update ON tickets;
                DROP TRIGGER tag_pair_counts_on_delete ON tickets;
                DROP FUNCTION tag_pair_counts_rebuild();
                DROP FUNCTION tag_pair_counts_track();
                DROP TABLE tag_pair_counts;
                """);
        }
    }
}
