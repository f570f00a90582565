using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Drivers;
using Nova.Firmware.Persistence;

using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Engine.Jobs;

public enum CreateJobError
{
    DeviceNotFound = 0,
    PackageNotFound = 1,
    DeviceBusy = 2,
    /// <summary>The job could never run: no driver for the device's protocol, or a capability it needs is missing.</summary>
    CannotRun = 3,
}

public sealed record CreateJobResult(DeviceJob? Job, CreateJobError? Error, string? Message);

public enum CancelJobResult
{
    NotFound = 0,
    Requested = 1,
    AlreadyFinished = 2,
    TooLate = 3,
}

/// <summary>What operators ask of device jobs: start one, cancel one. The loop does the rest.</summary>
public sealed class DeviceJobService(FirmwareDbContext db, DeviceDrivers drivers, JobWakeup wakeup, TimeProvider time)
{
    public async Task<CreateJobResult> CreateAsync(Guid deviceId, Guid packageId, string createdBy, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId, cancellationToken);
        if (device is null)
        {
            return new(null, CreateJobError.DeviceNotFound, $"Device {deviceId} does not exist.");
        }
        var package = await db.Set<FirmwarePackage>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == packageId, cancellationToken);
        if (package is null)
        {
            return new(null, CreateJobError.PackageNotFound, $"Package {packageId} does not exist.");
        }
        if (drivers.CannotFlash(device) is { } why)
        {
            return new(null, CreateJobError.CannotRun, why);
        }
        if (package.QuarantinedAt is not null)
        {
            return new(null, CreateJobError.CannotRun, $"Package {package.Vendor} {package.Version} is quarantined: {package.QuarantineReason} Re-import it from the vendor.");
        }
        var run = await db.Set<RecoveryRun>().AsNoTracking().Where(r => r.ActiveDeviceId == deviceId).Select(r => new { r.Id, r.Rung }).FirstOrDefaultAsync(cancellationToken);
        if (run is not null)
        {
            return new(null, CreateJobError.DeviceBusy, $"Device {deviceId} is in recovery run {run.Id} ({run.Rung.ToWire()}); let it finish or close it (POST /api/v1/recoveries/{run.Id}/close) first.");
        }
        var now = time.GetUtcNow();
        var job = DeviceJob.Queue(device, packageId, package.Version, createdBy, now);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(job);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var active = await db.Set<DeviceJob>().AsNoTracking().Where(j => j.ActiveDeviceId == deviceId).Select(j => (long?)j.Id).FirstOrDefaultAsync(cancellationToken);
            return new(null, CreateJobError.DeviceBusy, $"Device {deviceId} already has an active device job{(active is null ? "" : $" ({active})")}; one at a time.");
        }
        db.Add(new TimelineEntry
        {
            DeviceId = deviceId,
            JobId = job.Id,
            At = now,
            Kind = TimelineEntryKind.Transition,
            Message = $"queued: {createdBy} asked for package {package.Vendor} {package.Version} ({package.FileName}), from {device.Firmware.ActiveVersion ?? "an unknown version"}.",
        });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        wakeup.Wake();
        return new(job, null, null);
    }

    public async Task<CancelJobResult> CancelAsync(long jobId, string requestedBy, CancellationToken cancellationToken)
    {
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            return CancelJobResult.NotFound;
        }
        if (job.Status.IsTerminal())
        {
            return CancelJobResult.AlreadyFinished;
        }
        if (!job.Status.IsCancellable())
        {
            return CancelJobResult.TooLate;
        }
        // Once a push has started the bytes are on their way and cannot be called back; a pull
        // device that fetched its action is asked, and may still agree.
        var push = await db.Set<Device>().AsNoTracking().Where(d => d.Id == job.DeviceId).Select(d => d.Protocol).SingleAsync(cancellationToken) is var protocol
            && drivers.Find(protocol) is { Delivery: DriverDelivery.Push };
        var now = time.GetUtcNow();
        var cancellable = DeviceJobTransitions.Active.Where(s => s.IsCancellable()).ToList();
        var rows = await db.Set<DeviceJob>()
            .Where(j => j.Id == jobId && cancellable.Contains(j.Status) && (!push || j.ActionServedAt == null))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true).SetProperty(j => j.NextActionAt, now).SetProperty(j => j.UpdatedAt, now), cancellationToken);
        if (rows == 0)
        {
            return CancelJobResult.TooLate;
        }
        db.Add(new TimelineEntry { DeviceId = job.DeviceId, JobId = jobId, At = now, Kind = TimelineEntryKind.Command, Message = $"Cancel requested by {requestedBy}." });
        await db.SaveChangesAsync(cancellationToken);
        wakeup.Wake();
        return CancelJobResult.Requested;
    }
}
