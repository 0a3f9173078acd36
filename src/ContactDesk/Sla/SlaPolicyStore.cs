using System.Text.Json;
using ContactDesk.Data;
using ContactDesk.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Sla;

/// <summary>
/// The policy in force, read from the database and kept for a few seconds: every ticket change
/// needs it. Another instance's change is seen within <see cref="MaxAge"/>.
/// </summary>
public sealed class SlaPolicyStore
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Json = NewJson();
    private (SlaSettings Settings, SlaPolicy? Policy, long ReadAt)? cached;

    public async Task<(SlaSettings Settings, SlaPolicy? Policy)> GetAsync(AppDbContext db, CancellationToken ct)
    {
        if (cached is { } c && Environment.TickCount64 - c.ReadAt < MaxAge.TotalMilliseconds)
        {
            return (c.Settings, c.Policy);
        }
        var row = await db.Set<SlaPolicyRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == SlaPolicyRow.TheId, ct);
        var settings = row is null ? SlaSettings.Default : JsonSerializer.Deserialize<SlaSettings>(row.Settings, Json)!;
        var policy = SlaValidator.Validate(settings, new FieldErrors());
        cached = (settings, policy, Environment.TickCount64);
        return (settings, policy);
    }

    /// <summary>Stores validated <paramref name="settings"/> (one row, inserted or replaced).</summary>
    public async Task SaveAsync(AppDbContext db, SlaSettings settings, DateTime now, CancellationToken ct)
    {
        var row = await db.Set<SlaPolicyRow>().SingleOrDefaultAsync(r => r.Id == SlaPolicyRow.TheId, ct);
        if (row is null)
        {
            db.Add(row = new SlaPolicyRow { Settings = "" });
        }
        row.Settings = JsonSerializer.Serialize(settings, Json);
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        cached = null;
    }

    private static JsonSerializerOptions NewJson()
    {
        var json = new JsonSerializerOptions();
        ServiceSetup.Configure(json);
        return json;
    }
}
