using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Drivers;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Rma;

/// <summary>
/// Gathers an RMA bundle's content: the device and its last report, every device job with its
/// package, the whole timeline from the database; the system log asked of the device now through
/// its driver (bounded by <see cref="RmaOptions.SystemLogTimeout"/>); the photos technicians attached.
/// A device that cannot be asked still gets a bundle, with the reason in place of its log.
/// </summary>
public sealed partial class RmaBundleLoader(
    FirmwareDbContext db, DeviceDrivers drivers, IRmaPhotoSource photos, TimeProvider time, IOptions<RmaOptions> options, ILogger<RmaBundleLoader> log)
{
    /// <returns>The content, or null when no device has this id.</returns>
    public async Task<RmaBundleContent?> LoadAsync(Guid deviceId, string generatedBy, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId, cancellationToken);
        if (device is null)
        {
            return null;
        }
        var generatedAt = time.GetUtcNow();
        // The device may take its time (or never answer): ask it while the database is read.
        var systemLog = ReadSystemLogAsync(device, cancellationToken);
        var report = await db.Set<DeviceReport>().AsNoTracking().SingleOrDefaultAsync(r => r.DeviceId == deviceId, cancellationToken);
        var jobs = await db.Set<DeviceJob>().AsNoTracking().Where(j => j.DeviceId == deviceId).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        var packageIds = jobs.Select(j => j.PackageId).Distinct().ToList();
        var packages = await db.Set<FirmwarePackage>().AsNoTracking().Where(p => packageIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        var timeline = await db.Set<TimelineEntry>().AsNoTracking().Where(t => t.DeviceId == deviceId).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var attached = await photos.ForDeviceAsync(deviceId, cancellationToken);
        return new RmaBundleContent(
            device,
            report,
            jobs.Select(j => packages.GetValueOrDefault(j.PackageId) is { } p ? new RmaJob(j, p.Vendor, p.Version, p.FileName) : new RmaJob(j, null, null, null)).ToList(),
            timeline,
            await systemLog,
            attached,
            generatedAt,
            generatedBy);
    }

    private async Task<RmaSystemLog> ReadSystemLogAsync(Device device, CancellationToken cancellationToken)
    {
        var askedAt = time.GetUtcNow();
        if (drivers.Find(device.Protocol) is not { } driver)
        {
            return RmaSystemLog.Unavailable(askedAt, DriverOutcome.NotSupported, $"No driver for protocol '{device.Protocol.ToWire()}' is installed.");
        }
        var timeout = options.Value.SystemLogTimeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            // WaitAsync as well: a driver that ignores its token must not hold the download.
            var result = await driver.ReadLogsAsync(device, linked.Token).WaitAsync(timeout, time, cancellationToken);
            return result.Outcome == DriverOutcome.Done
                ? RmaSystemLog.Read(askedAt, result.Value ?? "")
                : RmaSystemLog.Unavailable(askedAt, result.Outcome, result.Reason ?? "The driver gave no reason.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or TimeoutException)
        {
            LogSystemLogTimedOut(log, device.Id, timeout);
            return RmaSystemLog.Unavailable(askedAt, DriverOutcome.Unreachable, $"The device did not hand over its log within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogSystemLogFailed(log, e, device.Id);
            return RmaSystemLog.Unavailable(askedAt, DriverOutcome.Failed, $"Reading the log failed: {e.Message}");
        }
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "RMA bundle of device {DeviceId}: the device did not hand over its system log within {Timeout}")]
    private static partial void LogSystemLogTimedOut(ILogger logger, Guid deviceId, TimeSpan timeout);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "RMA bundle of device {DeviceId}: reading its system log failed")]
    private static partial void LogSystemLogFailed(ILogger logger, Exception exception, Guid deviceId);
}
