using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Packages;

/// <summary>
/// At start-up, removes temporary import files a crash left behind. Only old ones: with several
/// replicas on a shared data directory, a fresh one may belong to an import in progress elsewhere.
/// </summary>
internal sealed partial class StaleImportCleaner(BlobStore blobs, IOptions<PackageCatalogOptions> options, TimeProvider time, ILogger<StaleImportCleaner> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var removed = blobs.RemoveStaleTemps(time.GetUtcNow() - options.Value.StaleTempAge);
        if (removed > 0)
        {
            LogRemoved(log, removed);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Removed {Count} temporary import files left by an earlier run")]
    private static partial void LogRemoved(ILogger logger, int count);
}
