using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Inbound : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbound_emails",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    raw = table.Column<byte[]>(type: "BLOB", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    received_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    processed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    locked_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ticket_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    ticket_message_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_emails", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbound_mailboxes",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 600, nullable: false),
                    uid_validity = table.Column<long>(type: "INTEGER", nullable: false),
                    last_uid = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_mailboxes", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_emails_to_address_created_at",
                table: "outbox_emails",
                columns: new[] { "to_address", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_emails_key",
                table: "inbound_emails",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_emails_state_received_at",
                table: "inbound_emails",
                columns: new[] { "state", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_emails_ticket_message_id",
                table: "inbound_emails",
                column: "ticket_message_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbound_emails");

            migrationBuilder.DropTable(
                name: "inbound_mailboxes");

            migrationBuilder.DropIndex(
                name: "ix_outbox_emails_to_address_created_at",
                table: "outbox_emails");
        }
    }
}
