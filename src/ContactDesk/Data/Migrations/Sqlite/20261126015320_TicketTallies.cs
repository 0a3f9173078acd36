using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tickets_category_created_at",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_created_at",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_email",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_status_created_at",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_updated_at",
                table: "tickets");

            migrationBuilder.CreateTable(
                name: "ticket_tallies",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    assigned_to_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    tickets = table.Column<int>(type: "INTEGER", nullable: false),
                    resolved = table.Column<int>(type: "INTEGER", nullable: false),
                    resolution_seconds = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_tallies", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_category_created_at_id",
                table: "tickets",
                columns: new[] { "category", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_created_at_id",
                table: "tickets",
                columns: new[] { "created_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_tickets_status_created_at_id",
                table: "tickets",
                columns: new[] { "status", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_updated_at_id",
                table: "tickets",
                columns: new[] { "updated_at", "id" },
                descending: new bool[0]);

            // Every change of a ticket's cell appends -1 for the old cell and +1 for the new one.
            migrationBuilder.Sql("""
                CREATE TRIGGER ticket_tallies_insert AFTER INSERT ON tickets BEGIN
                    INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                    VALUES (NEW.status, NEW.category, NEW.assigned_to_id, 1, NEW.resolved_at IS NOT NULL,
                            coalesce((julianday(NEW.resolved_at) - julianday(NEW.created_at)) * 86400.0, 0));
                END;

                CREATE TRIGGER ticket_tallies_delete AFTER DELETE ON tickets BEGIN
                    INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                    VALUES (OLD.status, OLD.category, OLD.assigned_to_id, -1, -(OLD.resolved_at IS NOT NULL),
                            -coalesce((julianday(OLD.resolved_at) - julianday(OLD.created_at)) * 86400.0, 0));
                END;

                CREATE TRIGGER ticket_tallies_update AFTER UPDATE OF status, category, assigned_to_id, resolved_at, created_at ON tickets
                WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category OR OLD.assigned_to_id IS NOT NEW.assigned_to_id
                    OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.created_at IS NOT NEW.created_at
                BEGIN
                    INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                    VALUES (OLD.status, OLD.category, OLD.assigned_to_id, -1, -(OLD.resolved_at IS NOT NULL),
                            -coalesce((julianday(OLD.resolved_at) - julianday(OLD.created_at)) * 86400.0, 0));
                    INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                    VALUES (NEW.status, NEW.category, NEW.assigned_to_id, 1, NEW.resolved_at IS NOT NULL,
                            coalesce((julianday(NEW.resolved_at) - julianday(NEW.created_at)) * 86400.0, 0));
                END;

                INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                SELECT status, category, assigned_to_id, count(*), count(resolved_at),
                       coalesce(sum((julianday(resolved_at) - julianday(created_at)) * 86400.0), 0)
                FROM tickets GROUP BY status, category, assigned_to_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ticket_tallies_insert;
                DROP TRIGGER ticket_tallies_delete;
                DROP TRIGGER ticket_tallies_update;
                """);

            migrationBuilder.DropTable(
                name: "ticket_tallies");

            migrationBuilder.DropIndex(
                name: "ix_tickets_category_created_at_id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_created_at_id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_status_created_at_id",
                table: "tickets");

            migrationBuilder.DropIndex(
                name: "ix_tickets_updated_at_id",
                table: "tickets");

            migrationBuilder.CreateIndex(
                name: "ix_tickets_category_created_at",
                table: "tickets",
                columns: new[] { "category", "created_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_created_at",
                table: "tickets",
                column: "created_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_tickets_email",
                table: "tickets",
                column: "email");

            migrationBuilder.CreateIndex(
                name: "ix_tickets_status_created_at",
                table: "tickets",
                columns: new[] { "status", "created_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_updated_at",
                table: "tickets",
                column: "updated_at",
                descending: new bool[0]);
        }
    }
}
