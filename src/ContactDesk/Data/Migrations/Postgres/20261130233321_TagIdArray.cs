using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
{
    /// <summary>
    /// Each ticket's tag ids as an array under a partial GIN index (Tags/TagIdArray.cs): the queue's
    /// total for several tags without a join over every ticket. Filled from ticket_tags.
    /// </summary>
    public partial class TagIdArray : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int[]>(
                name: "tag_ids",
                table: "tickets",
                type: "integer[]",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE tickets t SET tag_ids = x.ids
                FROM (SELECT ticket_id, array_agg(tag_id ORDER BY tag_id) AS ids FROM ticket_tags GROUP BY ticket_id) AS x
                WHERE x.ticket_id = t.id;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_tickets_tag_ids",
                table: "tickets",
                column: "tag_ids",
                filter: "tag_ids IS NOT NULL AND status <> 'archived'")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tickets_tag_ids",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "tag_ids",
                table: "tickets");
        }
    }
}
