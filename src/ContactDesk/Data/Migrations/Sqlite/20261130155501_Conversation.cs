using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactDesk.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Conversation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "first_response_at",
                table: "tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "last_message_at",
                table: "tickets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "message_count",
                table: "tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "staff_spoke_last",
                table: "tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "waiting_on",
                table: "tickets",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "in_reply_to",
                table: "outbox_emails",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "thread_references",
                table: "outbox_emails",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ticket_message_id",
                table: "outbox_emails",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "attachment_blobs",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attachment_blobs", x => x.sha256);
                });

            migrationBuilder.CreateTable(
                name: "portal_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ticket_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    revoked_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_portal_tokens_tickets_ticket_id",
                        column: x => x.ticket_id,
                        principalTable: "tickets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "thread_email_ids",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ticket_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    message_id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    inbound = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_thread_email_ids", x => x.id);
                    table.ForeignKey(
                        name: "fk_thread_email_ids_tickets_ticket_id",
                        column: x => x.ticket_id,
                        principalTable: "tickets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ticket_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ticket_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    author_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    author_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    from_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_ticket_messages_tickets_ticket_id",
                        column: x => x.ticket_id,
                        principalTable: "tickets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "message_attachments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    message_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_message_attachments_attachment_blobs_sha256",
                        column: x => x.sha256,
                        principalTable: "attachment_blobs",
                        principalColumn: "sha256",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_message_attachments_ticket_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "ticket_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_emails_ticket_message_id",
                table: "outbox_emails",
                column: "ticket_message_id");

            migrationBuilder.CreateIndex(
                name: "ix_message_attachments_message_id",
                table: "message_attachments",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_message_attachments_sha256",
                table: "message_attachments",
                column: "sha256");

            migrationBuilder.CreateIndex(
                name: "ix_portal_tokens_ticket_id",
                table: "portal_tokens",
                column: "ticket_id");

            migrationBuilder.CreateIndex(
                name: "ix_portal_tokens_token_hash",
                table: "portal_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_thread_email_ids_message_id",
                table: "thread_email_ids",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_thread_email_ids_ticket_id_id",
                table: "thread_email_ids",
                columns: new[] { "ticket_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_messages_ticket_id_created_at_id",
                table: "ticket_messages",
                columns: new[] { "ticket_id", "created_at", "id" });

            // Every existing ticket gets its thread: the submission as the first customer message
            // (id = the ticket's id, so no id has to be made up in SQL), written when the ticket was.
            migrationBuilder.Sql("""
                INSERT INTO ticket_messages (id, ticket_id, kind, source, author_id, author_name, from_email, body, created_at)
                SELECT id, id, 'customer', 'api', NULL, NULL, email, message, created_at FROM tickets;
                """);
            migrationBuilder.Sql("""
                UPDATE tickets SET message_count = 1, last_message_at = created_at, staff_spoke_last = 0,
                    waiting_on = CASE WHEN status IN ('pending', 'in_progress') THEN 'staff' END;
                """);
            // The confirmations and resolutions already sent start each ticket's email thread.
            migrationBuilder.Sql("""
                INSERT INTO thread_email_ids (ticket_id, message_id, inbound, created_at)
                SELECT ticket_id, message_id, 0, created_at FROM outbox_emails
                WHERE kind IN ('confirmation', 'resolution') AND ticket_id IN (SELECT id FROM tickets)
                ORDER BY created_at, id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "message_attachments");

            migrationBuilder.DropTable(
                name: "portal_tokens");

            migrationBuilder.DropTable(
                name: "thread_email_ids");

            migrationBuilder.DropTable(
                name: "attachment_blobs");

            migrationBuilder.DropTable(
                name: "ticket_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_emails_ticket_message_id",
                table: "outbox_emails");

            migrationBuilder.DropColumn(
                name: "first_response_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "last_message_at",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "message_count",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "staff_spoke_last",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "waiting_on",
                table: "tickets");

            migrationBuilder.DropColumn(
                name: "in_reply_to",
                table: "outbox_emails");

            migrationBuilder.DropColumn(
                name: "thread_references",
                table: "outbox_emails");

            migrationBuilder.DropColumn(
                name: "ticket_message_id",
                table: "outbox_emails");
        }
    }
}
