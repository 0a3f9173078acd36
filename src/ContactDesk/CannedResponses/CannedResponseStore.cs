using System.Security.Claims;
using System.Text.Json;
using ContactDesk.Data;
using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Moderation;
using ContactDesk.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.CannedResponses;

/// <summary>Who sees, uses and changes which canned responses; shared by the API and the admin page.</summary>
public static class CannedResponseStore
{
    /// <summary>The shared ones and the user's own: the only ones that exist for them (others are 404).</summary>
    public static IQueryable<CannedResponse> VisibleTo(AppDbContext db, Guid userId) =>
        db.CannedResponses.Where(c => c.Shared || c.OwnerId == userId);

    public static Task<List<CannedResponseOut>> ListAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        VisibleTo(db, userId).AsNoTracking().OrderBy(c => c.Title).ThenBy(c => c.Id).Select(CannedResponseOut.Projection).ToListAsync(ct);

    public static Task<CannedResponseOut?> ReadAsync(AppDbContext db, Guid userId, Guid id, CancellationToken ct) =>
        VisibleTo(db, userId).AsNoTracking().Where(c => c.Id == id).Select(CannedResponseOut.Projection).SingleOrDefaultAsync(ct);

    public static async Task<CannedResponse> CreateAsync(AppDbContext db, CannedResponseChange change, Guid ownerId, DateTime now, CancellationToken ct)
    {
        var canned = new CannedResponse { Id = Guid.CreateVersion7(), Title = "", Body = "", OwnerId = ownerId, CreatedAt = now, UpdatedAt = now };
        change.ApplyTo(canned);
        db.CannedResponses.Add(canned);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return canned;
    }

    /// <summary>Shared responses are the admins' to create and change.</summary>
    public static bool MayChange(ClaimsPrincipal user, bool shared) => !shared || user.IsInRole(Roles.Admin);

    /// <summary>The values for one ticket; <paramref name="portalUrl"/> is made by the caller (it may store a token).</summary>
    public static CannedValues ValuesFor(Ticket ticket, string agentName, string portalUrl) =>
        new(ticket.TicketNumber, ticket.Subject, WireNames.Of(ticket.Category), ticket.Name, ticket.Email, agentName, portalUrl);

    /// <summary>Reads a JSON body into an input, with field errors for values of the wrong type or unknown fields.</summary>
    public static CannedResponseInput? FromJson(JsonElement body, FieldErrors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "Send a JSON object with title, body, shared, set_status, add_tags.");
            return null;
        }
        string? title = null, text = null;
        bool? shared = null;
        Optional<string?> status = default;
        IReadOnlyList<string?>? tags = null;
        try
        {
            Read(body, errors, ref title, ref text, ref shared, ref status, ref tags);
        }
        catch (InvalidOperationException)
        {
            errors.Add("body", "The body is not valid UTF-8 text.");
        }
        return errors.Any ? null : new CannedResponseInput(title, text, shared, status, tags);
    }

    private static void Read(JsonElement body, FieldErrors errors, ref string? title, ref string? text, ref bool? shared,
        ref Optional<string?> status, ref IReadOnlyList<string?>? tags)
    {
        foreach (var p in body.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "title" when v.ValueKind == JsonValueKind.String:
                    title = v.GetString();
                    break;
                case "body" when v.ValueKind == JsonValueKind.String:
                    text = v.GetString();
                    break;
                case "shared" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    shared = v.GetBoolean();
                    break;
                case "set_status" when v.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    status = new(v.ValueKind == JsonValueKind.Null ? null : v.GetString());
                    break;
                case "add_tags" when v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                    tags = v.EnumerateArray().Select(e => e.GetString()).ToList();
                    break;
                case "title" or "body" or "shared" or "set_status" or "add_tags":
                    errors.Add(p.Name, "Wrong type of value.");
                    break;
                default:
                    errors.Add(p.Name, "Not a field of a canned response.");
                    break;
            }
        }
    }
}
