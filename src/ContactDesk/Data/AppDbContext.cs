using System.Linq.Expressions;
using ContactDesk.Attachments;
using ContactDesk.Audit;
using ContactDesk.Conversation;
using ContactDesk.Identity;
using ContactDesk.KnowledgeBase;
using ContactDesk.Moderation;
using ContactDesk.Notifications;
using ContactDesk.Submissions;
using ContactDesk.Tickets;
using ContactDesk.Webhooks;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContactDesk.Data;

/// <summary>
/// The model shared by both providers. Each provider has a subclass with its own migration set
/// and the few queries that need provider-specific SQL.
/// </summary>
public abstract class AppDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketCounter> TicketCounters => Set<TicketCounter>();
    public DbSet<TicketTally> TicketTallies => Set<TicketTally>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<TicketMessage> Messages => Set<TicketMessage>();
    public DbSet<MessageAttachment> MessageAttachments => Set<MessageAttachment>();
    public DbSet<AttachmentBlob> AttachmentBlobs => Set<AttachmentBlob>();
    public DbSet<ThreadEmailId> ThreadEmailIds => Set<ThreadEmailId>();
    public DbSet<PortalToken> PortalTokens => Set<PortalToken>();
    public DbSet<Inbound.InboundEmail> InboundEmails => Set<Inbound.InboundEmail>();
    public DbSet<Inbound.InboundMailbox> InboundMailboxes => Set<Inbound.InboundMailbox>();
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleOldSlug> ArticleOldSlugs => Set<ArticleOldSlug>();
    public DbSet<ArticleRevision> ArticleRevisions => Set<ArticleRevision>();
    public DbSet<SuggestionVisit> SuggestionVisits => Set<SuggestionVisit>();
    public DbSet<Tags.Tag> Tags => Set<Tags.Tag>();
    public DbSet<Tags.TicketTag> TicketTags => Set<Tags.TicketTag>();
    public DbSet<CannedResponses.CannedResponse> CannedResponses => Set<CannedResponses.CannedResponse>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    /// <summary>The key ring that protects sign-in and antiforgery cookies, shared by every instance (IdentitySetup).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Hands out the next per-day counter value for a ticket number; never the same twice.
    /// Call it outside any transaction: it commits on its own (a rolled-back ticket leaves a gap).
    /// </summary>
    public abstract Task<int> NextTicketCounterAsync(DateOnly day, CancellationToken ct);

    /// <summary>
    /// Tickets in one of <paramref name="statuses"/> whose search text contains <paramref name="term"/>
    /// (lower-cased already): exactly those <c>search_text LIKE '%term%'</c> finds. With
    /// <paramref name="forCounting"/> only their number will be read, so a provider may leave out
    /// what only helps to read them in order.
    /// </summary>
    public virtual Task<IQueryable<Ticket>> SearchAsync(string term, IReadOnlyList<TicketStatus> statuses, bool forCounting, CancellationToken ct) =>
        Task.FromResult(TicketFilter.InStatuses(Tickets, statuses).Where(TextContains(term)));

    protected static Expression<Func<Ticket, bool>> TextContains(string term)
    {
        var pattern = TicketFilter.ContainsPattern(term);
        return t => EF.Functions.Like(t.SearchText, pattern, "\\");
    }

    /// <summary>The tickets created since midnight (UTC) of <paramref name="now"/>, and since seven days before it.</summary>
    public virtual async Task<(int Today, int LastWeek)> CountCreatedAsync(DateTime now, CancellationToken ct)
    {
        var weekAgo = now.AddDays(-7);
        return (await Tickets.CountAsync(t => t.CreatedAt >= now.Date, ct), await Tickets.CountAsync(t => t.CreatedAt >= weekAgo, ct));
    }

    /// <summary>
    /// Folds the <c>ticket_tallies</c> rows into one per cell, keeping every sum exact even while
    /// tickets change and other instances compact at the same time. Returns the rows folded.
    /// </summary>
    public abstract Task<int> CompactTalliesAsync(CancellationToken ct);

    /// <summary>
    /// Reserves up to <paramref name="max"/> due emails until <paramref name="leaseUntil"/> and returns
    /// them; concurrent callers (other instances) never get the same email while the lease holds.
    /// </summary>
    public Task<List<OutboxEmail>> ClaimDueEmailsAsync(int max, DateTime now, DateTime leaseUntil, CancellationToken ct) =>
        OutboxEmails.FromSqlRaw(ClaimSql, leaseUntil, now, max).ToListAsync(ct);

    /// <summary>Parameters: {0} lease end, {1} now, {2} batch size. Built from constants only.</summary>
    private string ClaimSql => $$"""
            UPDATE outbox_emails SET locked_until = {0}
            WHERE id IN (
                SELECT id FROM outbox_emails
                WHERE state = 'pending' AND next_attempt_at <= {1} AND (locked_until IS NULL OR locked_until < {1})
                ORDER BY next_attempt_at
                LIMIT {2}
                {{ClaimRowLock}})
            RETURNING *
            """;

    /// <summary>Row locking for the claim's inner SELECT; SQLite has one writer and needs none.</summary>
    protected virtual string ClaimRowLock => "";

    /// <summary>The same row locking for other outboxes' claims (Webhooks/).</summary>
    public string RowLockForClaims => ClaimRowLock;

    /// <summary>
    /// Inserts an attachment's content unless a row with this SHA-256 exists (the same bytes uploaded
    /// at the same moment elsewhere), streaming <paramref name="content"/> (null: kept on disk) into
    /// the row without holding it in memory. Runs in the context's current transaction.
    /// </summary>
    public abstract Task InsertBlobAsync(string sha256, long size, string contentType, Stream? content, DateTime now, CancellationToken ct);

    /// <summary>True when the exception is a unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<TicketStatus>().HaveConversion<WireNameConverter<TicketStatus>>().HaveMaxLength(16);
        builder.Properties<TicketCategory>().HaveConversion<WireNameConverter<TicketCategory>>().HaveMaxLength(16);
        builder.Properties<EmailKind>().HaveConversion<WireNameConverter<EmailKind>>().HaveMaxLength(32);
        builder.Properties<EmailState>().HaveConversion<WireNameConverter<EmailState>>().HaveMaxLength(16);
        builder.Properties<WaitingOn>().HaveConversion<WireNameConverter<WaitingOn>>().HaveMaxLength(16);
        builder.Properties<MessageKind>().HaveConversion<WireNameConverter<MessageKind>>().HaveMaxLength(16);
        builder.Properties<MessageSource>().HaveConversion<WireNameConverter<MessageSource>>().HaveMaxLength(16);
        builder.Properties<Inbound.InboundSource>().HaveConversion<WireNameConverter<Inbound.InboundSource>>().HaveMaxLength(16);
        builder.Properties<Inbound.InboundState>().HaveConversion<WireNameConverter<Inbound.InboundState>>().HaveMaxLength(16);
        builder.Properties<ArticleStatus>().HaveConversion<WireNameConverter<ArticleStatus>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<AppUser>().Property(u => u.Name).HasMaxLength(255);
        model.Entity<IdentityRole<Guid>>().HasData(ContactDesk.Identity.Roles.Seed);

        model.Entity<Ticket>(t =>
        {
            t.ToTable("tickets");
            t.Property(x => x.TicketNumber).HasMaxLength(32);
            t.HasIndex(x => x.TicketNumber).IsUnique();
            t.Property(x => x.Name).HasMaxLength(255);
            t.Property(x => x.Email).HasMaxLength(254);
            t.Property(x => x.Subject).HasMaxLength(255);
            t.Property(x => x.Version).IsConcurrencyToken();
            t.HasOne(x => x.AssignedTo).WithMany().HasForeignKey(x => x.AssignedToId).OnDelete(DeleteBehavior.SetNull);
            t.HasOne(x => x.ResolvedBy).WithMany().HasForeignKey(x => x.ResolvedById).OnDelete(DeleteBehavior.SetNull);
            // The queue's orderings with the id as tie-breaker, whole: a page is read off the index in
            // order, and a deep page skips index entries rather than tickets.
            t.HasIndex(x => new { x.Status, x.CreatedAt, x.Id }).IsDescending(false, true, true);
            t.HasIndex(x => new { x.Category, x.CreatedAt, x.Id }).IsDescending(false, true, true);
            t.HasIndex(x => new { x.CreatedAt, x.Id }).IsDescending(true, true);
            t.HasIndex(x => new { x.UpdatedAt, x.Id }).IsDescending(true, true);
            t.HasIndex(x => x.AssignedToId);
            t.Property(x => x.Priority).HasDefaultValue(TicketPriority.Normal).HasSentinel((TicketPriority)(-1));
            // ordering=-priority: urgent first, newest first within a priority, read off the index in order.
            t.HasIndex(x => new { x.Priority, x.CreatedAt, x.Id }).IsDescending(true, true, true);
        });

        model.Entity<TicketTally>(t =>
        {
            t.ToTable("ticket_tallies");
            // Written only by the triggers on tickets (see the TicketTallies migrations).
        });

        model.Entity<TicketCounter>(c =>
        {
            c.ToTable("ticket_counters");
            c.HasKey(x => x.Day);
        });

        model.Entity<AuditEntry>(a =>
        {
            a.ToTable("audit_entries");
            a.Property(x => x.TicketNumber).HasMaxLength(32);
            a.Property(x => x.Action).HasMaxLength(32);
            a.Property(x => x.ActorName).HasMaxLength(255);
            a.HasIndex(x => new { x.TicketId, x.Id });
        });

        model.Entity<IdempotencyKey>(k =>
        {
            k.ToTable("idempotency_keys");
            k.HasKey(x => x.Key);
            k.Property(x => x.Key).HasMaxLength(255);
            k.Property(x => x.RequestHash).HasMaxLength(64);
            k.HasIndex(x => x.CreatedAt);
        });

        model.Entity<OutboxEmail>(e =>
        {
            e.ToTable("outbox_emails");
            e.Property(x => x.TicketNumber).HasMaxLength(32);
            e.Property(x => x.ToAddress).HasMaxLength(254);
            e.Property(x => x.ToName).HasMaxLength(255);
            e.Property(x => x.MessageId).HasMaxLength(255);
            e.Property(x => x.Subject).HasMaxLength(1000);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasIndex(x => x.TicketId);
            e.Property(x => x.InReplyTo).HasMaxLength(255);
            e.HasIndex(x => x.TicketMessageId);
        });

        model.Entity<TicketMessage>(m =>
        {
            m.ToTable("ticket_messages");
            m.Property(x => x.AuthorName).HasMaxLength(255);
            m.Property(x => x.FromEmail).HasMaxLength(254);
            m.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            // The author is not a foreign key (as in the audit trail): the thread keeps its authors after an account is deleted.
            m.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            // The thread is read oldest first; ids are version 7 (time-ordered) as the tie-breaker.
            m.HasIndex(x => new { x.TicketId, x.CreatedAt, x.Id });
        });

        model.Entity<MessageAttachment>(a =>
        {
            a.ToTable("message_attachments");
            a.Property(x => x.Sha256).HasMaxLength(64);
            a.Property(x => x.FileName).HasMaxLength(255);
            a.Property(x => x.ContentType).HasMaxLength(100);
            a.HasOne<AttachmentBlob>().WithMany().HasForeignKey(x => x.Sha256).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<AttachmentBlob>(b =>
        {
            b.ToTable("attachment_blobs");
            b.HasKey(x => x.Sha256);
            b.Property(x => x.Sha256).HasMaxLength(64);
            b.Property(x => x.ContentType).HasMaxLength(100);
        });

        model.Entity<ThreadEmailId>(e =>
        {
            e.ToTable("thread_email_ids");
            e.Property(x => x.MessageId).HasMaxLength(255);
            e.HasIndex(x => x.MessageId).IsUnique();
            e.HasIndex(x => new { x.TicketId, x.Id });
            e.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<PortalToken>(p =>
        {
            p.ToTable("portal_tokens");
            p.Property(x => x.TokenHash).HasMaxLength(64);
            p.HasIndex(x => x.TokenHash).IsUnique();
            p.HasIndex(x => x.TicketId);
            p.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });

        Inbound.InboundModel.Configure(model);
        KnowledgeBaseModel.Configure(model);
        ContactDesk.Tags.TagModel.Configure(model);
        ContactDesk.CannedResponses.CannedResponseModel.Configure(model);
        Sla.SlaModel.Configure(model);
        WebhookModel.Configure(model);
        Live.TicketPresence.Configure(model);
        model.Entity<SigningKey>().ToTable("signing_keys");
        model.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }

    private sealed class WireNameConverter<TEnum>() : ValueConverter<TEnum, string>(
        v => WireNames.Of(v), s => WireNames.Parse<TEnum>(s)) where TEnum : struct, Enum;
}
