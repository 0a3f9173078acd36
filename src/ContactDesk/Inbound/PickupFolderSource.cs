using ContactDesk.Notifications;
using Microsoft.Extensions.Options;

namespace ContactDesk.Inbound;

/// <summary>
/// Development (or a local MTA that drops files): every <c>*.eml</c> in
/// <c>Email:Inbound:PickupDirectory</c> is stored, then moved to <c>processed/</c> under it, or to
/// <c>failed/</c> when it is not a message. A file is moved only after it is stored, so a crash
/// leaves it to be read again (and recognised).
/// </summary>
public sealed class PickupFolderSource(IServiceScopeFactory scopes, IOptions<EmailOptions> options, ILogger<PickupFolderSource> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.Yield();
        if (options.Value.Inbound.PickupDirectory is not { Length: > 0 } directory)
        {
            return;
        }
        Directory.CreateDirectory(directory);
        log.LogInformation("Ingesting *.eml files dropped in {Directory}.", Path.GetFullPath(directory));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ReadFolderAsync(directory, stopping);
                await Task.Delay(Poll, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogWarning("Reading {Directory} failed ({Error}); trying again.", directory, e.GetBaseException().Message);
                await Task.Delay(Poll * 5, stopping).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    public async Task ReadFolderAsync(string directory, CancellationToken ct)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.eml").Order(StringComparer.Ordinal))
        {
            InboundStore.Outcome outcome;
            await using (var scope = scopes.CreateAsyncScope())
            await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
            {
                outcome = await scope.ServiceProvider.GetRequiredService<InboundStore>().StoreAsync(stream, InboundSource.Folder, keepUnreadable: false, ct);
            }
            var into = outcome is InboundStore.Stored ? "processed" : "failed";
            if (outcome is not InboundStore.Stored)
            {
                log.LogWarning("{File} is not an email it can ingest ({Outcome}); moved to failed/.", Path.GetFileName(file), outcome);
            }
            Directory.CreateDirectory(Path.Combine(directory, into));
            File.Move(file, Path.Combine(directory, into, Path.GetFileName(file)), overwrite: true);
        }
    }
}
