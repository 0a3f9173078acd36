using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketPriority : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "priority",
                table: "tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateIndex(
                name: "ix_tickets_priority_created_at_id",
                table: "tickets",
                columns: new[] { "priority", "created_at", "id" },
                descending: new bool[0]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tickets_priority_created_at_id",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "priority",
                table: "tickets");
        }
    }
}
