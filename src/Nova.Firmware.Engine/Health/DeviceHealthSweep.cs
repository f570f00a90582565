using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Health;

/// <summary>
/// Marks devices offline that have been silent for longer than their protocol's allowance
/// (<see cref="DeviceHealthRule"/>): one UPDATE per protocol, whatever the fleet size. Every replica
/// may run it: the statement only changes devices not yet offline, so running it twice, or on two
/// replicas at once, changes nothing more. Devices come back through their own reports (DDI poll or
/// configData), never through this sweep.
/// </summary>
public sealed partial class DeviceHealthSweep(IServiceScopeFactory scopes, IOptions<DeviceHealthOptions> options, TimeProvider time, ILogger<DeviceHealthSweep> log)
    : BackgroundService
{
    // This replica could not hear devices before it started; their silence counts from here.
    private readonly DateTimeOffset _listeningSince = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(log, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One pass; returns how many devices it marked offline.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var allowances = options.Value.Allowances;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var marked = 0;
        foreach (var protocol in Enum.GetValues<DeviceProtocol>())
        {
            if (DeviceHealthRule.SilentBefore(allowances.For(protocol), now, _listeningSince) is not { } cutoff)
            {
                continue;
            }
            var count = await db.Set<Device>()
                .Where(d => d.Protocol == protocol && d.Health.Status != HealthStatus.Offline
                    && d.Health.LastSeenAt != null && d.Health.LastSeenAt < cutoff)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Health.Status, HealthStatus.Offline), cancellationToken);
            if (count > 0)
            {
                LogMarkedOffline(log, count, protocol.ToWire(), cutoff);
            }
            marked += count;
        }
        return marked;
    }

    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "Marked {Count} {Protocol} devices offline: not heard from since {Cutoff}")]
    private static partial void LogMarkedOffline(ILogger logger, int count, string protocol, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Warning, Message = "Device health sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
