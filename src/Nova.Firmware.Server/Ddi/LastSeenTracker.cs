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
    // One dictionary for the life of the process. Swapping it for a fresh one at each flush lost a
    // time recorded into the old one just after the flusher had read it: a device could stay "never
    // seen" until its next poll.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public void Record(Guid deviceId, DateTimeOffset at) =>
        _pending.AddOrUpdate(deviceId, at, (_, old) => at > old ? at : old);

    /// <summary>What is waiting to be written; it stays pending until <see cref="Written"/> removes it.</summary>
    public IReadOnlyList<KeyValuePair<Guid, DateTimeOffset>> Pending() => _pending.ToArray();

    /// <summary>
    /// Forgets the times that were written, unless a later poll replaced one meanwhile: removal
    /// compares the value, so that later time stays for the next flush.
    /// </summary>
    public void Written(IEnumerable<KeyValuePair<Guid, DateTimeOffset>> batch)
    {
        foreach (var entry in batch)
        {
            _pending.TryRemove(entry);
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
        var batch = tracker.Pending();
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            // One UPDATE per second of poll time and per chunk of devices, not one per device: a
            // flush of 10,000 devices seen within 2 s is a handful of statements on either database.
            // The stored time is cut to the whole second, so last-seen is never later than the poll.
            foreach (var second in batch.GroupBy(e => Truncate(e.Value), e => e.Key))
            {
                var at = second.Key;
                // In key order: device ids are time-ordered (version 7), so rows sit in the table
                // roughly in id order and each chunk then touches a few neighbouring pages. In poll
                // order every chunk touched pages all over the table: at 100,000 devices SQLite
                // evicted them from its small cache, read them back and wrote them to the WAL again
                // (15 us of CPU per row, against about 3 us in key order).
                foreach (var ids in second.Order(DeviceIdOrder.Instance).Chunk(ChunkSize))
                {
                    // A device the health sweep marked offline is back: healthy, or degraded when its
                    // last report was not a normal boot (DeviceHealthRule.FromBootMode, in SQL).
                    // Other statuses are the device's own reports and stay as they are.
                    // The ids travel as one array parameter (EF.Parameter): EF Core 10's default, a
                    // parameter per id, cost about 4 us more per row to build and bind.
                    var reports = db.Set<DeviceReport>();
                    await db.Set<Device>().Where(d => EF.Parameter(ids).Contains(d.Id) && (d.Health.LastSeenAt == null || d.Health.LastSeenAt < at))
                        .ExecuteUpdateAsync(s => s
                            .SetProperty(d => d.Health.LastSeenAt, at)
                            .SetProperty(d => d.Health.Status, d => d.Health.Status != HealthStatus.Offline ? d.Health.Status
                                : reports.Any(r => r.DeviceId == d.Id && r.BootMode != null && r.BootMode.ToLower() != DeviceHealthRule.NormalBootMode)
                                    ? HealthStatus.Degraded : HealthStatus.Healthy), cancellationToken);
                }
            }
            await tx.CommitAsync(cancellationToken);
            tracker.Written(batch);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(log, batch.Count, e);
        }
    }

    private const int ChunkSize = 1000;

    private static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Could not write last-seen times of {Count} devices; retrying at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, int count, Exception exception);
}
