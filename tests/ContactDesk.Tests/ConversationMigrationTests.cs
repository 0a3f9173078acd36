using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ContactDesk.Tests;

/// <summary>Tickets that existed before threads get theirs: the submission as the first customer message.</summary>
public sealed class ConversationMigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Existing_tickets_get_their_first_message_and_a_summary_of_it(DatabaseProvider provider)
    {
        var database = DatabaseProbe.NewDatabase(provider);
        await using (var before = Context(provider, database.ConnectionString))
        {
            await before.GetService<IMigrator>().MigrateAsync("DataProtectionKeys");
            foreach (var (number, status) in new[] { ("CONT-20250101-0001", "pending"), ("CONT-20250101-0002", "resolved") })
            {
                var id = Guid.NewGuid();
                var at = new DateTime(2025, 1, 1, 8, 30, 0, DateTimeKind.Utc);
                await before.Database.ExecuteSqlAsync($"""
                    INSERT INTO tickets (id, ticket_number, name, email, subject, message, category, status, created_at, updated_at, version, search_text)
                    VALUES ({id}, {number}, 'Old Timer', 'old@example.com', 'Before threads', {"Message of " + number}, 'general', {status}, {at}, {at}, 1, '')
                    """);
            }
        }

        await using var after = Context(provider, database.ConnectionString);
        await after.Database.MigrateAsync();

        var tickets = await after.Tickets.AsNoTracking().OrderBy(t => t.TicketNumber).ToListAsync();
        var messages = await after.Messages.AsNoTracking().ToListAsync();
        Assert.Equal(2, messages.Count);
        foreach (var ticket in tickets)
        {
            var first = Assert.Single(messages, m => m.TicketId == ticket.Id);
            Assert.Equal(MessageKind.Customer, first.Kind);
            Assert.Equal("Message of " + ticket.TicketNumber, first.Body);
            Assert.Equal("old@example.com", first.FromEmail);
            Assert.Equal(ticket.CreatedAt, first.CreatedAt);
            Assert.Equal(1, ticket.MessageCount);
            Assert.Equal(ticket.CreatedAt, ticket.LastMessageAt);
        }
        Assert.Equal([WaitingOn.Staff, null], tickets.Select(t => t.WaitingOn));
    }

    private static AppDbContext Context(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresAppDbContext>();
            postgres.UsePostgresProvider(connectionString);
            return new PostgresAppDbContext(postgres.Options);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteAppDbContext>();
        sqlite.UseSqliteProvider(connectionString);
        return new SqliteAppDbContext(sqlite.Options);
    }
}
