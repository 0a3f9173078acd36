using System.Text.Json.Nodes;
using ContactDesk.Conversation;
using ContactDesk.Identity;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContactDesk.Audit;

/// <summary>
/// Every insert, update and delete of a ticket passes through SaveChanges, and so through here:
/// the version and <c>updated_at</c> are stamped and an audit entry is written in the same
/// transaction. Endpoints cannot forget it and cannot skip it.
/// </summary>
public sealed class TicketAuditInterceptor(IHttpContextAccessor http, TimeProvider clock) : SaveChangesInterceptor
{
    /// <summary>Bookkeeping columns that are not news to a moderator.</summary>
    public static readonly IReadOnlySet<string> Unaudited = new HashSet<string>
    {
        nameof(Ticket.Version), nameof(Ticket.UpdatedAt), nameof(Ticket.SearchText), nameof(Ticket.StatusBeforeArchive),
        Tags.TagIdArray.Property, // the tags' ids, kept with the tags, which are audited
        // The thread's summary: a message_added entry records the news instead.
        nameof(Ticket.WaitingOn), nameof(Ticket.StaffSpokeLast), nameof(Ticket.MessageCount),
        nameof(Ticket.FirstResponseAt), nameof(Ticket.LastMessageAt),
        // The SLA's bookkeeping, worked out from the fields above: sla_warning and sla_breached entries record its news.
        nameof(Ticket.SlaFirstResponseDueAt), nameof(Ticket.SlaResolutionDueAt), nameof(Ticket.SlaState), nameof(Ticket.SlaPausedSince),
        nameof(Ticket.SlaPausedSeconds), nameof(Ticket.SlaNextCheckAt), nameof(Ticket.SlaFirstResponseWarned),
        nameof(Ticket.SlaResolutionWarned), nameof(Ticket.SlaFirstResponseMet), nameof(Ticket.SlaResolutionMet),
    };

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db)
        {
            Record(db);
        }
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db)
        {
            Record(db);
        }
        return result;
    }

    private void Record(DbContext db)
    {
        // Whole microseconds, what PostgreSQL keeps: the times in memory equal those read back later.
        var now = clock.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var user = http.HttpContext?.User;
        var actorId = user?.FindId();
        var actorName = actorId is null ? null : user!.FindName();

        RecordMessages(db, now, actorId, actorName);
        foreach (var entry in db.ChangeTracker.Entries<Ticket>().ToList())
        {
            var changes = new JsonObject();
            string action;
            switch (entry.State)
            {
                case EntityState.Added:
                    entry.Entity.CreatedAt = entry.Entity.UpdatedAt = now;
                    entry.Entity.Version = 1;
                    // The submission is the thread's first message, written at the same instant.
                    foreach (var first in db.ChangeTracker.Entries<TicketMessage>().Where(m => m.Entity.TicketId == entry.Entity.Id))
                    {
                        first.Entity.CreatedAt = now;
                        entry.Entity.LastMessageAt = now;
                    }
                    // The message itself stays on the ticket; the trail records what moderators change.
                    // Fields left empty (no tags yet) are not news either.
                    foreach (var p in entry.Properties.Where(p => IsAudited(p) && p.CurrentValue is not (null or "")
                        && p.Metadata.Name is not (nameof(Ticket.Id) or nameof(Ticket.Message))))
                    {
                        changes[Field(p)] = new JsonArray(null, Json(p.CurrentValue));
                    }
                    action = "created";
                    break;
                case EntityState.Modified:
                    foreach (var p in entry.Properties.Where(p => IsAudited(p) && p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)))
                    {
                        changes[Field(p)] = new JsonArray(Json(p.OriginalValue), Json(p.CurrentValue));
                    }
                    if (!entry.Properties.Any(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)))
                    {
                        continue;
                    }
                    entry.Entity.UpdatedAt = now;
                    entry.Property(t => t.Version).CurrentValue = entry.Property(t => t.Version).OriginalValue + 1;
                    if (changes.Count == 0)
                    {
                        continue; // only the thread's summary changed: the ticket is newer, its message_added says why
                    }
                    action = ActionOf(entry);
                    break;
                case EntityState.Deleted:
                    foreach (var name in new[] { nameof(Ticket.Status), nameof(Ticket.Category), nameof(Ticket.Email) })
                    {
                        var p = entry.Property(name);
                        changes[Field(p)] = new JsonArray(Json(p.OriginalValue), null);
                    }
                    action = "deleted";
                    break;
                default:
                    continue;
            }

            db.Add(new AuditEntry
            {
                TicketId = entry.Entity.Id,
                TicketNumber = entry.Entity.TicketNumber,
                At = now,
                ActorId = actorId,
                ActorName = actorName,
                Action = action,
                Changes = changes.ToJsonString(),
            });
        }
    }

    /// <summary>A message added to an existing ticket (the submission itself is its ticket's "created").</summary>
    private static void RecordMessages(DbContext db, DateTime now, Guid? actorId, string? actorName)
    {
        var newTickets = db.ChangeTracker.Entries<Ticket>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Id).ToHashSet();
        foreach (var entry in db.ChangeTracker.Entries<TicketMessage>().Where(e => e.State == EntityState.Added).ToList())
        {
            var message = entry.Entity;
            if (newTickets.Contains(message.TicketId))
            {
                continue;
            }
            var ticket = db.ChangeTracker.Entries<Ticket>().FirstOrDefault(t => t.Entity.Id == message.TicketId)?.Entity;
            db.Add(new AuditEntry
            {
                TicketId = message.TicketId,
                TicketNumber = ticket?.TicketNumber ?? "",
                At = now,
                ActorId = actorId,
                ActorName = actorName,
                Action = "message_added",
                Changes = new JsonObject { ["kind"] = new JsonArray(null, WireNames.Of(message.Kind)) }.ToJsonString(),
            });
        }
    }

    private static bool IsAudited(PropertyEntry p) => !Unaudited.Contains(p.Metadata.Name);

    private static string ActionOf(EntityEntry<Ticket> entry)
    {
        var status = entry.Property(t => t.Status);
        var statusChanged = status.IsModified && status.OriginalValue != status.CurrentValue;
        var assignee = entry.Property(t => t.AssignedToId);
        var assigneeChanged = assignee.IsModified && assignee.OriginalValue != assignee.CurrentValue;
        return (statusChanged ? status.OriginalValue : (TicketStatus?)null, status.CurrentValue) switch
        {
            (not null, TicketStatus.Archived) => "archived",
            (TicketStatus.Archived, _) => "restored",
            (not null, TicketStatus.Resolved) => "resolved",
            (TicketStatus.Resolved, _) => "reopened",
            // A claim moves pending to in_progress on the way: it is still an assignment.
            _ when assigneeChanged => assignee.CurrentValue is null ? "unassigned" : "assigned",
            (not null, _) => "status_changed",
            _ => "updated",
        };
    }

    private static string Field(PropertyEntry p) => p.Metadata.GetColumnName();

    private static JsonNode? Json(object? value) => value switch
    {
        null => null,
        Enum e => JsonValue.Create(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString())),
        DateTime d => JsonValue.Create(DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'")),
        Guid g => JsonValue.Create(g.ToString()),
        int i => JsonValue.Create(i),
        _ => JsonValue.Create(value.ToString()),
    };
}
