using Nova.Firmware.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Engine.Drivers;
using Nova.Firmware.Engine.Observations;
using Nova.Firmware.Engine.Options;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// Runs one idempotent step of one claimed device job: looks at the job's status and what has been
/// observed since the last step, and either moves the job on (compare-and-set) or says when to look
/// again. Running a step twice (after a crash) does no harm: each decision is recomputed from the
/// database, the transition only lands if the job is still where the step found it, and a command
/// to the device is sent only by whoever wrote its row (see <see cref="DeviceCommandStore"/>).
/// The steps live in the partial files beside this one: pre-flight, transfer and follow, verify.
/// </summary>
public sealed partial class DeviceJobStepper(
    FirmwareDbContext db,
    DeviceJobStore store,
    DeviceCommandStore commands,
    DeviceDrivers drivers,
    IPackageBlobs blobs,
    IObservationSink sink,
    DeviceReadingRecorder readings,
    LeaseKeeper leases,
    EngineStartup startup,
    IOptions<EngineOptions> options,
    TimeProvider time,
    Telemetry.EngineMetrics metrics,
    ILogger<DeviceJobStepper> log)
{
    private sealed record Step(DeviceJob Job, Device Device, FirmwarePackage Package, DeviceReport? Report, IDeviceDriver Driver, string Owner, DateTimeOffset Now, StepDeadlines Deadlines);

    public async Task StepAsync(long jobId, string owner, CancellationToken cancellationToken)
    {
        // One span per step (traces are off unless configured: then this is null and costs nothing).
        using var activity = Telemetry.NovaTelemetry.Source.StartActivity("device_job.step");
        activity?.SetTag(Telemetry.NovaTelemetry.Attributes.JobId, jobId);
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || job.LeaseOwner != owner || job.Status.IsTerminal())
        {
            return;
        }
        activity?.SetTag(Telemetry.NovaTelemetry.Attributes.DeviceId, job.DeviceId.ToString());
        activity?.SetTag(Telemetry.NovaTelemetry.Attributes.JobStatus, job.Status.ToWire());
        var now = time.GetUtcNow();
        var device = await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == job.DeviceId, cancellationToken);
        var driver = drivers.Find(device.Protocol);
        if (driver is null)
        {
            // Refused at creation since drivers register themselves; a job from before a driver was
            // removed must still end, never wedge.
            await MoveAsync(job, owner, new JobTransition(DeviceJobStatus.Failed, drivers.CannotFlash(device) ?? "No driver.", now, FailureCause.Unknown), cancellationToken);
            return;
        }
        var step = await LoadAsync(job, driver, owner, cancellationToken);
        switch (job.Status)
        {
            case DeviceJobStatus.Queued:
                await StartAsync(step, cancellationToken);
                break;
            case DeviceJobStatus.Preflight:
            case DeviceJobStatus.Waiting:
                await PreflightAsync(step, cancellationToken);
                break;
            case DeviceJobStatus.CleaningUp:
                await CleaningUpAsync(step, cancellationToken);
                break;
            case DeviceJobStatus.Transferring:
            case DeviceJobStatus.Flashing:
            case DeviceJobStatus.Rebooting:
                await FollowDeviceAsync(step, cancellationToken);
                break;
            case DeviceJobStatus.Verifying:
                await VerifyAsync(step, cancellationToken);
                break;
            case DeviceJobStatus.Succeeded:
            case DeviceJobStatus.Failed:
            case DeviceJobStatus.Blocked:
            case DeviceJobStatus.Cancelled:
                break;
            default:
                throw new InvalidOperationException($"Unknown device job status {job.Status}.");
        }
    }

    /// <summary>
    /// Reads what a step decides on. The report is read before the device: a device report and the
    /// inventory fields it updates are committed together, so the device row read second is at
    /// least as new as the report (read the other way round, a fresh report could meet a stale
    /// version and look like a fallback).
    /// </summary>
    private async Task<Step> LoadAsync(DeviceJob job, IDeviceDriver driver, string owner, CancellationToken ct)
    {
        var report = await db.Set<DeviceReport>().AsNoTracking().SingleOrDefaultAsync(r => r.DeviceId == job.DeviceId, ct);
        var device = await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == job.DeviceId, ct);
        var package = await db.Set<FirmwarePackage>().AsNoTracking().SingleAsync(p => p.Id == job.PackageId, ct);
        return new Step(job, device, package, report, driver, owner, time.GetUtcNow(), options.Value.DeadlinesFor(device.Model));
    }

    private async Task StartAsync(Step s, CancellationToken ct)
    {
        if (s.Job.CancelRequested)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "Cancelled before it started.", s.Now), ct);
            return;
        }
        await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Preflight, "Checking the device before any byte is sent.", s.Now), ct);
    }

    private Task<bool> MoveAsync(DeviceJob job, string owner, JobTransition change, CancellationToken ct) =>
        MoveAsync(job, job.Status, owner, change, ct);

    private async Task<bool> MoveAsync(DeviceJob job, DeviceJobStatus from, string owner, JobTransition change, CancellationToken ct)
    {
        var moved = await store.TransitionAsync(job, from, change, owner, ct);
        if (moved)
        {
            metrics.JobMoved(job, from, change.To, change.Cause, change.BlockingCheck, time.GetUtcNow());
            System.Diagnostics.Activity.Current?.SetTag(Telemetry.NovaTelemetry.Attributes.JobStatusTo, change.To.ToWire());
            LogTransition(log, job.Id, job.DeviceId, from, change.To, change.Reason);
        }
        else
        {
            LogLostRace(log, job.Id, from, change.To);
        }
        return moved;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Device job {JobId} on device {DeviceId}: {From} -> {To}: {Reason}")]
    private static partial void LogTransition(ILogger logger, long jobId, Guid deviceId, DeviceJobStatus from, DeviceJobStatus to, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Device job {JobId}: {From} -> {To} not written; another writer changed it or our lease ended")]
    private static partial void LogLostRace(ILogger logger, long jobId, DeviceJobStatus from, DeviceJobStatus to);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Device job {JobId}: transfer attempt {Attempt} issued to device {DeviceId}")]
    private static partial void LogIssued(ILogger logger, long jobId, int attempt, Guid deviceId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Device job {JobId}: transfer attempt {Attempt} was cut off and never reached the device; sending again")]
    private static partial void LogTransferLost(ILogger logger, long jobId, int attempt);
}
