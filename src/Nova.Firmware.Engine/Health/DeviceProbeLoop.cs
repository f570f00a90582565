using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Engine.Drivers;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Health;

/// <summary>
/// Push devices (cameras) say nothing unless asked, so this loop asks: every probe interval it
/// identifies each push device not heard from within that interval and not in a device job (the
/// job's own steps ask it then). An answer sets last-seen and health with one small update; the
/// timeline gets an entry only when the device reports a different firmware version (a flash done
/// outside the product), not every minute. A device that does not answer is left for the health
/// sweep to mark offline once its allowance has passed.
/// </summary>
public sealed partial class DeviceProbeLoop(IServiceScopeFactory scopes, DeviceDrivers drivers, IOptions<DeviceHealthOptions> options, TimeProvider time, ILogger<DeviceProbeLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ProbeInterval, time);
        try
        {
            do
            {
                try
                {
                    await ProbeOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogProbeFailed(log, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One round: returns how many devices answered.</summary>
    public async Task<int> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var protocols = Enum.GetValues<DeviceProtocol>().Where(p => drivers.Find(p) is { Delivery: DriverDelivery.Push }).ToList();
        if (protocols.Count == 0)
        {
            return 0;
        }
        var quietSince = time.GetUtcNow() - options.Value.ProbeInterval;
        List<Device> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            var busy = db.Set<Domain.Jobs.DeviceJob>().Where(j => j.ActiveDeviceId != null).Select(j => j.DeviceId);
            due = await db.Set<Device>().AsNoTracking()
                .Where(d => protocols.Contains(d.Protocol) && (d.Health.LastSeenAt == null || d.Health.LastSeenAt < quietSince) && !busy.Contains(d.Id))
                .OrderBy(d => d.Health.LastSeenAt)
                .Take(options.Value.ProbeBatchSize)
                .ToListAsync(cancellationToken);
        }
        var answered = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.ProbeConcurrency, CancellationToken = cancellationToken }, async (device, ct) =>
        {
            var result = await drivers.Find(device.Protocol)!.IdentifyAsync(device, ct);
            if (result is not { Outcome: DriverOutcome.Done, Reading: { } reading })
            {
                return;
            }
            Interlocked.Increment(ref answered);
            await using var scope = scopes.CreateAsyncScope();
            if (reading.FirmwareVersion is { } version && !string.Equals(version, device.Firmware.ActiveVersion, StringComparison.Ordinal))
            {
                await scope.ServiceProvider.GetRequiredService<DeviceReadingRecorder>().RecordAsync(device.Id, null, reading, ct);
                return;
            }
            var now = time.GetUtcNow();
            // Back from offline (or first seen): healthy unless its last report said otherwise.
            await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<Device>().Where(d => d.Id == device.Id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Health.LastSeenAt, now)
                    .SetProperty(d => d.Health.Status, d => d.Health.Status == HealthStatus.Offline || d.Health.Status == HealthStatus.Unknown ? HealthStatus.Healthy : d.Health.Status), ct);
        });
        return answered;
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Error, Message = "Device probe round failed; the next round tries again")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception);
}
