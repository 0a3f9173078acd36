using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Sla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "sla_first_response_due_at",
                table: "tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "sla_first_response_met",
                table: "tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "sla_first_response_warned",
                table: "tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "sla_next_check_at",
                table: "tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sla_paused_seconds",
                table: "tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTime>(
                name: "sla_paused_since",
                table: "tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "sla_resolution_due_at",
                table: "tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "sla_resolution_met",
                table: "tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "sla_resolution_warned",
                table: "tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "sla_state",
                table: "tickets",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sla_policy",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    settings = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sla_policy", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_sla_first_response_met",
                table: "tickets",
                column: "sla_first_response_met");

            migrationBuilder.CreateIndex(
                name: "ix_tickets_sla_next_check_at",
                table: "tickets",
                column: "sla_next_check_at");

            migrationBuilder.CreateIndex(
                name: "ix_tickets_sla_resolution_met",
                table: "tickets",
                column: "sla_resolution_met");

            migrationBuilder.CreateIndex(
                name: "ix_tickets_sla_state_created_at_id",
                table: "tickets",
                columns: new[] { "sla_state", "created_at", "id" },
                descending: new[] { false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sla_policy");

            migrationBuilder.DropIndex(
                name: "ix_tickets_sla_first_response_met",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_sla_next_check_at",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_sla_resolution_met",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_sla_state_created_at_id",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_first_response_due_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_first_response_met",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_first_response_warned",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_next_check_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_paused_seconds",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_paused_since",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_resolution_due_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_resolution_met",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_resolution_warned",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "sla_state",
                table: "tickets");
        }
    }
}
