using Npgsql;

namespace ContactDesk.Live;

/// <summary>
/// The instance's one connection that <c>LISTEN</c>s on <see cref="LiveFeed.Channel"/>. When it
/// is lost it reconnects, and the feed reads what was committed meanwhile.
/// </summary>
internal sealed class PostgresListener(string connectionString, LiveFeed feed, ILogger log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 30, Pooling = false };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => feed.Notified(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {LiveFeed.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                feed.Poke(); // what committed while nobody listened
                while (true)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "The live feed lost its PostgreSQL listening connection; reconnecting.");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
