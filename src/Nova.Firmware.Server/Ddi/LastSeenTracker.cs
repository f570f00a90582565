using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// Polls are the hot path and must not write to the database: they record "seen now" here, and
/// <see cref="LastSeenFlusher"/> writes the latest time per device in batches.
/// </summary>
public sealed class LastSeenTracker
{
    private ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public void Record(Guid deviceId, DateTimeOffset at) =>
        _pending.AddOrUpdate(deviceId, at, (_, old) => at > old ? at : old);

    public IReadOnlyDictionary<Guid, DateTimeOffset> TakeAll() => Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, DateTimeOffset>());

    /// <summary>Puts back what could not be written, keeping the later time.</summary>
    public void Restore(IReadOnlyDictionary<Guid, DateTimeOffset> batch)
    {
        foreach (var (id, at) in batch)
        {
            Record(id, at);
        }
    }
}

public sealed partial class LastSeenFlusher(LastSeenTracker tracker, IServiceScopeFactory scopes, IOptions<DdiOptions> options, TimeProvider time, ILogger<LastSeenFlusher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastSeenFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = tracker.TakeAll();
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (id, at) in batch)
            {
                await db.Set<Device>().Where(d => d.Id == id && (d.Health.LastSeenAt == null || d.Health.LastSeenAt < at))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Health.LastSeenAt, at), cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            tracker.Restore(batch);
            LogFlushFailed(log, batch.Count, e);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Could not write last-seen times of {Count} devices; retrying at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, int count, Exception exception);
}
