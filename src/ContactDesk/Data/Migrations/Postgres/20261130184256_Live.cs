using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Live : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ticket_presence",
                columns: table => new
                {
                    ticket_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    typing = table.Column<bool>(type: "boolean", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_presence", x => new { x.ticket_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_ticket_presence_tickets_ticket_id",
                        column: x => x.ticket_id,
                        principalTable: "tickets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_presence_expires_at",
                table: "ticket_presence",
                column: "expires_at");

            // Live events (Live/LiveFeed.cs): each audit entry is announced in the transaction that
            // writes it; PostgreSQL delivers the NOTIFY to every listening instance at commit.
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_entries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('contactdesk_live', 'a:' || NEW.id);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER audit_entries_notify AFTER INSERT ON audit_entries
                    FOR EACH ROW EXECUTE FUNCTION audit_entries_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_entries_notify ON audit_entries; DROP FUNCTION audit_entries_notify();");
            migrationBuilder.DropTable(
                name: "ticket_presence");
        }
    }
}
