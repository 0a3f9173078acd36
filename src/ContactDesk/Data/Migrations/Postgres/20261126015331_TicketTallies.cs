using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    category = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    assigned_to_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tickets = table.Column<int>(type: "integer", nullable: false),
                    resolved = table.Column<int>(type: "integer", nullable: false),
                    resolution_seconds = table.Column<double>(type: "double precision", nullable: false)
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
                descending: new bool[0])
                .Annotation("Npgsql:IndexInclude", new[] { "status" });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_status_created_at_id",
                table: "tickets",
                columns: new[] { "status", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_updated_at_id",
                table: "tickets",
                columns: new[] { "updated_at", "id" },
                descending: new bool[0])
                .Annotation("Npgsql:IndexInclude", new[] { "status" });

            // Every change of a ticket's cell appends -1 for the old cell and +1 for the new one.
            migrationBuilder.Sql("""
                CREATE FUNCTION ticket_tallies_track() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.category = NEW.category
                        AND OLD.assigned_to_id IS NOT DISTINCT FROM NEW.assigned_to_id
                        AND OLD.resolved_at IS NOT DISTINCT FROM NEW.resolved_at AND OLD.created_at = NEW.created_at THEN
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                        VALUES (OLD.status, OLD.category, OLD.assigned_to_id, -1, -(OLD.resolved_at IS NOT NULL)::int,
                                -coalesce(extract(epoch FROM OLD.resolved_at - OLD.created_at)::double precision, 0));
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                        VALUES (NEW.status, NEW.category, NEW.assigned_to_id, 1, (NEW.resolved_at IS NOT NULL)::int,
                                coalesce(extract(epoch FROM NEW.resolved_at - NEW.created_at)::double precision, 0));
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER ticket_tallies_track AFTER INSERT OR UPDATE OR DELETE ON tickets
                    FOR EACH ROW EXECUTE FUNCTION ticket_tallies_track();

                -- Recounts from the tickets: for existing data now, and for operators after a bulk load
                -- that bypassed triggers. Locks the tickets against writes until the caller commits.
                CREATE FUNCTION ticket_tallies_rebuild() RETURNS void LANGUAGE sql AS $$
                    LOCK TABLE tickets IN SHARE MODE;
                    DELETE FROM ticket_tallies;
                    INSERT INTO ticket_tallies (status, category, assigned_to_id, tickets, resolved, resolution_seconds)
                    SELECT status, category, assigned_to_id, count(*), count(resolved_at),
                           coalesce(sum(extract(epoch FROM resolved_at - created_at)), 0)::double precision
                    FROM tickets GROUP BY status, category, assigned_to_id;
                $$;

                SELECT ticket_tallies_rebuild();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ticket_tallies_track ON tickets;
                DROP FUNCTION ticket_tallies_track();
                DROP FUNCTION ticket_tallies_rebuild();
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
