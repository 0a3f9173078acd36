namespace ContactDesk.Hosting;

/// <summary>
/// A worker that sends an outbox in batches (emails, webhooks). At SIGTERM the token ExecuteAsync
/// gets says "claim nothing more", while the batch in hand runs on under <see cref="ShutdownTimedOut"/>:
/// nothing is cut off mid-send by the stop signal itself, only when the host stops waiting.
/// </summary>
public abstract class OutboxDispatcher : BackgroundService
{
    private readonly CancellationTokenSource abort = new();

    /// <summary>Cancelled when the host stops waiting for us (HostOptions.ShutdownTimeout), not when stopping begins.</summary>
    protected CancellationToken ShutdownTimedOut => abort.Token;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var giveUp = cancellationToken.Register(abort.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        abort.Dispose();
        base.Dispose();
    }
}
