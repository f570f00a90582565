using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Options;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// Runs one idempotent step of one claimed device job: looks at the job's status and what has been
/// observed since the last step, and either moves the job on (compare-and-set) or says when to look
/// again. Running a step twice (after a crash) does no harm: each decision is recomputed from the
/// database, and the transition only lands if the job is still where the step found it.
/// </summary>
public sealed partial class DeviceJobStepper(
    FirmwareDbContext db,
    DeviceJobStore store,
    IEnumerable<IDeviceDriver> drivers,
    IPackageBlobs blobs,
    EngineStartup startup,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<DeviceJobStepper> log)
{
    private sealed record Step(DeviceJob Job, Device Device, FirmwarePackage Package, DeviceReport? Report, IDeviceDriver Driver, string Owner, DateTimeOffset Now, StepDeadlines Deadlines);

    public async Task StepAsync(long jobId, string owner, CancellationToken cancellationToken)
    {
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || job.LeaseOwner != owner || job.Status.IsTerminal())
        {
            return;
        }
        // The report is read before the device: a device report and the inventory fields it updates
        // are committed together, so the device row read second is at least as new as the report.
        // (Read the other way round, a fresh report could meet a stale version and look like a fallback.)
        var report = await db.Set<DeviceReport>().AsNoTracking().SingleOrDefaultAsync(r => r.DeviceId == job.DeviceId, cancellationToken);
        var device = await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == job.DeviceId, cancellationToken);
        var package = await db.Set<FirmwarePackage>().AsNoTracking().SingleAsync(p => p.Id == job.PackageId, cancellationToken);
        var driver = drivers.FirstOrDefault(d => d.Protocol == device.Protocol);
        var now = time.GetUtcNow();
        if (driver is null)
        {
            await MoveAsync(job, owner, new JobTransition(DeviceJobStatus.Failed, $"No driver for protocol {device.Protocol}.", now, FailureCause.Unknown), cancellationToken);
            return;
        }
        var step = new Step(job, device, package, report, driver, owner, now, options.Value.DeadlinesFor(device.Model));
        switch (job.Status)
        {
            case DeviceJobStatus.Queued:
                await StartAsync(step, cancellationToken);
                break;
            case DeviceJobStatus.Preflight:
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

    private async Task StartAsync(Step s, CancellationToken ct)
    {
        if (s.Job.CancelRequested)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "Cancelled before it started.", s.Now), ct);
            return;
        }
        await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Preflight, "Checking the device before any byte is sent.", s.Now), ct);
    }

    private async Task PreflightAsync(Step s, CancellationToken ct)
    {
        if (s.Job.CancelRequested)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "Cancelled during pre-flight; nothing was sent.", s.Now), ct);
            return;
        }
        var verdict = await EvaluateGateAsync(s.Device, s.Report, s.Package, s.Driver, ct);
        var data = JsonSerializer.Serialize(verdict);
        switch (verdict.Decision)
        {
            case PreflightDecision.Block:
                var block = verdict.FirstBlock ?? verdict.Results.First(r => r.Outcome != CheckOutcome.Pass);
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked, block.Reason, s.Now, BlockingCheck: block.Check, TimelineData: data), ct);
                return;
            case PreflightDecision.CleanUp:
                if (await HasCleanedUpAsync(s.Job, ct))
                {
                    await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked,
                        $"A clean-up ran but the device is still short by {verdict.BytesToFree} bytes. " + verdict.Results.First(r => r.Check == PreflightCheck.Space).Reason,
                        s.Now, BlockingCheck: PreflightCheck.Space, TimelineData: data), ct);
                    return;
                }
                var cleanup = await s.Driver.CleanUpAsync(s.Device, verdict.BytesToFree, ct);
                if (cleanup.Outcome is DriverOutcome.NotSupported or DriverOutcome.Failed)
                {
                    await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked, $"Short by {verdict.BytesToFree} bytes and clean-up failed: {cleanup.Reason}", s.Now, BlockingCheck: PreflightCheck.Space, TimelineData: data), ct);
                    return;
                }
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.CleaningUp, $"Clearing {verdict.BytesToFree} bytes of logs, old firmware backups and snapshots.", s.Now + options.Value.RecheckInterval, TimelineData: data), ct);
                return;
            case PreflightDecision.Proceed:
                var logs = await s.Driver.ReadLogsAsync(s.Device, ct);
                var snapshot = PreFlashSnapshot.Capture(s.Device, s.Report, logs, s.Now);
                var transfer = await s.Driver.TransferAndFlashAsync(s.Device, s.Job, s.Package, ct);
                if (transfer.Outcome is DriverOutcome.Failed or DriverOutcome.NotSupported)
                {
                    await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Failed, transfer.Reason ?? "The transfer could not start.", s.Now, FailureCause.Unreachable, PreFlashSnapshot: snapshot, TimelineData: data), ct);
                    return;
                }
                var unknown = verdict.Results.Where(r => r.Outcome == CheckOutcome.Unknown).Select(r => r.Check.ToString().ToLowerInvariant()).ToList();
                var note = unknown.Count == 0 ? "All pre-flight checks passed." : $"Pre-flight passed; not known: {string.Join(", ", unknown)}.";
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Transferring, $"{note} {transfer.Reason}".Trim(), s.Now + options.Value.RecheckInterval, PreFlashSnapshot: snapshot, TimelineData: data), ct);
                return;
            default:
                throw new InvalidOperationException($"Unknown pre-flight decision {verdict.Decision}.");
        }
    }

    private async Task CleaningUpAsync(Step s, CancellationToken ct)
    {
        if (s.Job.CancelRequested)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "Cancelled during clean-up; nothing was flashed.", s.Now), ct);
            return;
        }
        var required = options.Value.Preflight.RequiredFreeBytes(s.Package.Size);
        if (s.Device.Storage.FreeBytes >= required)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Preflight, $"Clean-up done: {s.Device.Storage.FreeBytes} bytes free; checking again.", s.Now), ct);
            return;
        }
        if (s.Now - s.Job.StepStartedAt > s.Deadlines.CleanUp)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked,
                $"Clean-up did not free enough space within {s.Deadlines.CleanUp}: {s.Device.Storage.FreeBytes} free, {required} needed.", s.Now, BlockingCheck: PreflightCheck.Space), ct);
            return;
        }
        await store.ReleaseAsync(s.Job.Id, s.Owner, s.Now + options.Value.RecheckInterval, ct);
    }

    private async Task FollowDeviceAsync(Step s, CancellationToken ct)
    {
        // Every feedback of the job, every time: signals are idempotent against the current status
        // (a Downloaded seen again while Flashing changes nothing), and reading all of them cannot miss
        // one that committed late with a lower id (PostgreSQL sequences do not commit in order).
        var observations = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.JobId == s.Job.Id && t.Kind == TimelineEntryKind.Feedback)
            .OrderBy(t => t.Id)
            .ToListAsync(ct);
        var status = s.Job.Status;
        foreach (var observation in observations)
        {
            var signal = s.Driver.Interpret(observation);
            if (signal is null)
            {
                continue;
            }
            switch (signal.Kind)
            {
                case JobSignalKind.ReportedFailure:
                    var diagnosis = await DiagnoseAsync(s, neverReturned: false, fellBack: false, ct, observations);
                    await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Failed, diagnosis.Evidence, s.Now, diagnosis.Cause), ct);
                    return;
                case JobSignalKind.ReportedSuccess:
                    await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Verifying,
                        "The device reports the update done; verifying boot, version and health ourselves.", s.Now), ct);
                    return;
                case JobSignalKind.Cancelled:
                    await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "The device confirmed the cancellation.", s.Now), ct);
                    return;
                case JobSignalKind.Downloaded when status == DeviceJobStatus.Transferring:
                    if (!await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Flashing, "The device has the image and checked it; writing.", s.Now), ct))
                    {
                        return;
                    }
                    status = DeviceJobStatus.Flashing;
                    break;
                case JobSignalKind.Installed when status is DeviceJobStatus.Transferring or DeviceJobStatus.Flashing:
                    if (!await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Rebooting, "Written; the device is rebooting into it.", s.Now), ct))
                    {
                        return;
                    }
                    status = DeviceJobStatus.Rebooting;
                    break;
                case JobSignalKind.Downloaded:
                case JobSignalKind.Installed:
                case JobSignalKind.Progress:
                case JobSignalKind.CancelRejected:
                    break;
                default:
                    throw new InvalidOperationException($"Unknown job signal {signal.Kind}.");
            }
        }
        if (status == DeviceJobStatus.Transferring && s.Job.CancelRequested && s.Job.ActionServedAt is null)
        {
            await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "Cancelled before the device fetched the action; nothing was sent.", s.Now), ct);
            return;
        }
        var stepStarted = status == s.Job.Status ? s.Job.StepStartedAt : s.Now;
        var lastWord = await LastWordAsync(s, ct);
        // Pull devices go quiet while they write and reboot, so Flashing covers both.
        var deadline = status == DeviceJobStatus.Transferring ? s.Deadlines.Transfer
            : status == DeviceJobStatus.Flashing ? s.Deadlines.Flash + s.Deadlines.Reboot
            : s.Deadlines.Reboot;
        // "No word for too long": counted from the step's start, the device's last report on this job,
        // or this engine's start, whichever is latest: a device must not be failed for the time the
        // server itself was down and could not hear it.
        var quietSince = Latest(stepStarted, lastWord, startup.StartedAt);
        if (s.Now - quietSince > deadline)
        {
            var seenSince = s.Device.Health.LastSeenAt is { } seen && seen >= stepStarted;
            var diagnosis = await DiagnoseAsync(s, neverReturned: !seenSince, fellBack: false, ct, observations);
            var evidence = $"No word from the device for {deadline} in step {status}. {diagnosis.Evidence}";
            await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Failed, evidence, s.Now, diagnosis.Cause), ct);
            return;
        }
        await store.ReleaseAsync(s.Job.Id, s.Owner, s.Now + options.Value.RecheckInterval, ct);
    }

    private async Task VerifyAsync(Step s, CancellationToken ct)
    {
        var result = Verification.Check(s.Device, s.Report, s.Job.TargetVersion, s.Job.PreviousVersion, s.Job.StepStartedAt);
        switch (result.Outcome)
        {
            case VerificationOutcome.Verified:
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Succeeded, result.Reason, s.Now), ct);
                return;
            case VerificationOutcome.FellBack:
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Failed, result.Reason, s.Now, FailureCause.BootFailure), ct);
                return;
            case VerificationOutcome.Waiting:
                if (s.Now - Latest(s.Job.StepStartedAt, null, startup.StartedAt) > s.Deadlines.Health)
                {
                    var seenSince = s.Device.Health.LastSeenAt is { } seen && seen >= s.Job.StepStartedAt;
                    var diagnosis = await DiagnoseAsync(s, neverReturned: !seenSince, fellBack: false, ct);
                    var cause = diagnosis.Cause == FailureCause.Unknown && seenSince ? FailureCause.BootFailure : diagnosis.Cause;
                    await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Failed,
                        $"Not verified within {s.Deadlines.Health}: {result.Reason} {diagnosis.Evidence}", s.Now, cause), ct);
                    return;
                }
                await store.ReleaseAsync(s.Job.Id, s.Owner, s.Now + options.Value.RecheckInterval, ct);
                return;
            default:
                throw new InvalidOperationException($"Unknown verification outcome {result.Outcome}.");
        }
    }

    /// <param name="feedback">The job's feedback when the caller has just read it; read here otherwise.</param>
    private async Task<Domain.Diagnosis.Diagnosis> DiagnoseAsync(Step s, bool neverReturned, bool fellBack, CancellationToken ct, IReadOnlyList<TimelineEntry>? feedback = null)
    {
        feedback ??= await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.JobId == s.Job.Id && t.Kind == TimelineEntryKind.Feedback)
            .OrderBy(t => t.Id)
            .ToListAsync(ct);
        var details = feedback.SelectMany(f => s.Driver.Interpret(f)?.Details ?? []).ToList();
        var resetAfter = s.Report is { } r && r.ReportedAt >= s.Job.StepStartedAt ? r.ResetReason : null;
        return FailureClassifier.Classify(new FailureContext(details, resetAfter, neverReturned, fellBack));
    }

    private async Task<PreflightVerdict> EvaluateGateAsync(Device device, DeviceReport? report, FirmwarePackage package, IDeviceDriver driver, CancellationToken ct)
    {
        var identity = DeviceIdentity.Of(device);
        var problems = PackageCompatibility.Check(package, identity).Mismatches.Select(m => m.Reason).ToList();
        FirmwarePackage? matching = null;
        if (problems.Count > 0)
        {
            var vendor = device.Vendor;
            var candidates = await db.Set<FirmwarePackage>().AsNoTracking()
                .Where(p => p.Kind == package.Kind && p.Id != package.Id && p.Vendor.ToLower() == vendor.ToLower())
                .ToListAsync(ct);
            matching = PackageCompatibility.FindMatching(candidates, identity, package.Kind);
        }
        DateTimeOffset? feedEvent = null;
        if (device.PowerFeed.SwitchId is { } switchId)
        {
            feedEvent = await db.Set<Device>().AsNoTracking()
                .Where(d => d.PowerFeed.SwitchId == switchId)
                .Join(db.Set<DeviceReport>(), d => d.Id, r => r.DeviceId, (d, r) => r.LastPowerEventAt)
                .MaxAsync(t => t, ct);
        }
        var input = new PreflightInput(device, report, package, problems, matching, await blobs.IsIntactAsync(package, ct), feedEvent, driver.CanCleanUp(device), time.GetUtcNow());
        return new PreflightGate(options.Value.Preflight).Evaluate(input);
    }

    /// <summary>The dry-run endpoint's entry: the gate's verdict without creating or changing anything.</summary>
    public async Task<PreflightVerdict> DryRunAsync(Device device, FirmwarePackage package, CancellationToken ct)
    {
        var report = await db.Set<DeviceReport>().AsNoTracking().SingleOrDefaultAsync(r => r.DeviceId == device.Id, ct);
        var driver = drivers.FirstOrDefault(d => d.Protocol == device.Protocol)
            ?? throw new InvalidOperationException($"No driver for protocol {device.Protocol}.");
        return await EvaluateGateAsync(device, report, package, driver, ct);
    }

    private async Task<DateTimeOffset?> LastWordAsync(Step s, CancellationToken ct)
    {
        var words = await db.Set<TimelineEntry>().AsNoTracking()
            // Progress on the action only: a device that reports telemetry but does nothing with the action is not progressing.
            .Where(t => t.JobId == s.Job.Id && (t.Kind == TimelineEntryKind.Feedback || t.Kind == TimelineEntryKind.Transfer))
            .Select(t => t.At)
            .ToListAsync(ct);
        return words.Count == 0 ? null : words.Max();
    }

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset? b, DateTimeOffset c)
    {
        var latest = a > c ? a : c;
        return b is { } v && v > latest ? v : latest;
    }

    private Task<bool> HasCleanedUpAsync(DeviceJob job, CancellationToken ct) =>
        db.Set<TimelineEntry>().AsNoTracking().AnyAsync(t => t.JobId == job.Id && t.Kind == TimelineEntryKind.Transition && t.Message.Contains("→ cleaning-up"), ct);

    private Task<bool> MoveAsync(DeviceJob job, string owner, JobTransition change, CancellationToken ct) =>
        MoveAsync(job, job.Status, owner, change, ct);

    private async Task<bool> MoveAsync(DeviceJob job, DeviceJobStatus from, string owner, JobTransition change, CancellationToken ct)
    {
        var moved = await store.TransitionAsync(job, from, change, owner, ct);
        if (moved)
        {
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
}
