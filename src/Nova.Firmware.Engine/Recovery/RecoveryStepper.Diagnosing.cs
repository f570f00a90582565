using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>
/// Diagnosing: the job was diagnosed when it failed, with what it had seen until then. The run
/// looks again with what the device did afterwards (came back, on which slot, in recovery, silent,
/// pulling a stock image), its logs where it gives them, then enters the ladder where the plan says.
/// </summary>
public sealed partial class RecoveryStepper
{
    private async Task DiagnosingAsync(Step s, CancellationToken ct)
    {
        var look = await LookAsync(s, ct);
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleAsync(j => j.Id == s.Run.FailedJobId, ct);
        var diagnosis = await DiagnoseAsync(s, job, look, ct);
        var back = look.BackNormalSince(job.UpdatedAt);
        // A device refused the image before writing (space, checksum, hardware) still runs its old
        // firmware. Any other failure may have left it down: until it is seen back in normal boot it
        // is not healthy, whatever it said before the flash.
        var refusedBeforeWriting = diagnosis.Cause is FailureCause.InsufficientSpace or FailureCause.ChecksumMismatch or FailureCause.WrongHardware;
        if (!back && !refusedBeforeWriting)
        {
            await db.Set<Device>().Where(d => d.Id == s.Device.Id && (d.Health.Status == HealthStatus.Healthy || d.Health.Status == HealthStatus.Unknown))
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Health.Status, HealthStatus.Degraded), ct);
        }
        var plan = RecoveryPlan.For(diagnosis.Cause);
        var said = $"Diagnosed {diagnosis.Cause.ToWire()} (confidence {diagnosis.Confidence:0.00}): {diagnosis.Summary}";
        void Keep(RecoveryRun r)
        {
            r.Cause = diagnosis.Cause;
            r.Confidence = diagnosis.Confidence;
            r.Evidence = diagnosis.Evidence.ToList();
        }
        var data = Json(new { cause = diagnosis.Cause.ToWire(), confidence = diagnosis.Confidence, evidence = diagnosis.Evidence, plan = plan.Why });
        var o = options.Value;
        switch (plan.Entry)
        {
            case RecoveryRung.CleaningUp:
                await MoveAsync(s, To(s, RecoveryRung.CleaningUp, $"{said} Clearing logs, old backups and snapshots.", o.CleanUpWait) with { Apply = Keep, TimelineData = data }, ct);
                return;
            case RecoveryRung.Retrying:
                if (!await blobs.IsIntactAsync(s.Package, ct))
                {
                    await QuarantineAsync(s.Package, ct);
                    await MoveAsync(s, To(s, RecoveryRung.Blocked,
                        $"{said} The catalog's own copy of {s.Package.FileName} no longer matches its published SHA-256 {s.Package.Sha256}: the package is quarantined. Re-import it from the vendor and compare the hash before flashing.")
                        with { Apply = r => { Keep(r); r.BlockingCheck = PreflightCheck.Checksum; }, TimelineData = data }, ct);
                    return;
                }
                await RetryAsync(s, $"{said} The catalog copy still matches its SHA-256; transferring again from scratch.", Keep, data, ct);
                return;
            case RecoveryRung.AwaitingApproval:
                var proposal = await ProposeAsync(s, ct);
                if (proposal is null)
                {
                    await MoveAsync(s, To(s, RecoveryRung.Blocked,
                        $"{said} {s.Package.FileName} is never flashed to this device again, and the catalog has no package for {DeviceIdentity.Of(s.Device)}: import the one for the revision on the device's sticker.")
                        with { Apply = r => { Keep(r); r.BlockingCheck = PreflightCheck.Compatibility; }, TimelineData = data }, ct);
                    return;
                }
                await MoveAsync(s, new RungChange(RecoveryRung.AwaitingApproval,
                    $"{said} {s.Package.FileName} is never flashed to this device again. Proposed: {proposal.Vendor} {proposal.Version} ({proposal.FileName}), which fits {DeviceIdentity.Of(s.Device)}; approve it to flash.",
                    s.Now + TimeSpan.FromHours(1)) { Apply = r => { Keep(r); r.ProposedPackageId = proposal.Id; }, TimelineData = data }, ct);
                return;
            case RecoveryRung.WaitingForSelfRecovery:
            case RecoveryRung.BootingRecovery:
                if (back)
                {
                    await MoveAsync(s, To(s, RecoveryRung.Verifying, $"{said} The device is back in normal boot; verifying it.", o.VerifyWait) with { Apply = Keep, TimelineData = data }, ct);
                    return;
                }
                if (plan.Entry == RecoveryRung.WaitingForSelfRecovery && (s.Device.Capabilities.BootLoopRetry || s.Device.Capabilities.AbSlots))
                {
                    var wait = o.SelfRecoveryWaitFor(s.Device.Model);
                    await MoveAsync(s, To(s, RecoveryRung.WaitingForSelfRecovery,
                        $"{said} Waiting up to {wait} for the device to come back by itself (boot-loop retry from the staged image, or the bootloader's fallback slot).", wait) with { Apply = Keep, TimelineData = data }, ct);
                    return;
                }
                await MoveAsync(s, To(s, RecoveryRung.BootingRecovery, $"{said} The device is not back; going to its recovery partition.") with { Apply = Keep, TimelineData = data }, ct);
                return;
            case RecoveryRung.Diagnosing:
            case RecoveryRung.Reflashing:
            case RecoveryRung.Verifying:
            case RecoveryRung.AwaitingTechnician:
            case RecoveryRung.Recovered:
            case RecoveryRung.Blocked:
            case RecoveryRung.Rma:
            case RecoveryRung.Closed:
            default:
                throw new InvalidOperationException($"The plan for {diagnosis.Cause} enters at {plan.Entry}, which diagnosing cannot start.");
        }
    }

    /// <summary>Everything the job and the device showed, classified again.</summary>
    /// <summary>Everything the job and the device showed, classified again.</summary>
    private async Task<Diagnosis> DiagnoseAsync(Step s, DeviceJob job, Look look, CancellationToken ct)
    {
        var entries = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.DeviceId == s.Device.Id && t.At >= job.CreatedAt)
            .OrderBy(t => t.Id)
            .ToListAsync(ct);
        var details = entries.Where(e => e.JobId == job.Id)
            .SelectMany(e => s.Driver?.Interpret(e)?.Details ?? []).ToList();
        var logs = look.Answered && s.Driver is { Delivery: DriverDelivery.Push } driver ? await LogTailAsync(driver, look.Device, ct) : [];
        var reportAfter = look.Report is { } r && r.ReportedAt >= job.CreatedAt ? r : null;
        var power = entries.Where(e => e.Kind == TimelineEntryKind.Power).Select(e => e.Message).ToList();
        var neverReturned = !(look.Device.Health.LastSeenAt is { } seen && seen >= job.UpdatedAt) && !look.Answered;
        var fellBack = job.PreviousVersion is not null && look.Version == job.PreviousVersion && reportAfter is not null
            && look.Device.Firmware.InactiveVersion == job.TargetVersion;
        var tftp = entries.Any(e => e.Kind == TimelineEntryKind.Transfer && e.Message.StartsWith("TFTP:", StringComparison.Ordinal));
        var fresh = FailureClassifier.Classify(new FailureContext(details, reportAfter?.ResetReason, neverReturned, fellBack)
        {
            DeviceLogs = logs,
            BootModeAfter = reportAfter?.BootMode,
            BootAttempts = reportAfter is null ? null : BootCount.Of(reportAfter),
            PulledStockImageOverTftp = tftp,
            PowerEvents = power,
            // Took the image, went down writing it, and has not been heard since:
            // the article's "device vanishes mid-flash".
            VanishedWhileWriting = neverReturned && (job.CauseEvidence?.Any(e => e.Contains("fell silent while writing", StringComparison.Ordinal)) == true
                || WentDownWithTheImage(entries, job.Id)),
        });
        // Looking again saw everything the job saw and more, so its answer stands, unless it found
        // nothing at all where the job had found something.
        if (job.Cause is { } cause && cause != FailureCause.Unknown && fresh.Cause == FailureCause.Unknown)
        {
            return new Diagnosis(cause, job.CauseConfidence ?? 0.5, job.CauseEvidence ?? [job.StatusReason ?? ""]) { Summary = job.StatusReason ?? "" };
        }
        return fresh;
    }

    /// <summary>
    /// The job failed out of flashing: the device had the image and was writing it. Not out of
    /// rebooting: a device that wrote it and then dropped off the network looks the same from here
    /// as one that lost power, and a wrong cause is worse than unreachable.
    /// </summary>
    private static bool WentDownWithTheImage(IReadOnlyList<TimelineEntry> entries, long jobId) =>
        entries.LastOrDefault(e => e.JobId == jobId && e.Kind == TimelineEntryKind.Transition && e.Message.Contains("→ failed", StringComparison.Ordinal)) is { } failed
        && failed.Message.StartsWith("flashing", StringComparison.Ordinal);

    private async Task QuarantineAsync(FirmwarePackage package, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await db.Set<FirmwarePackage>().Where(p => p.Id == package.Id && p.QuarantinedAt == null)
            .ExecuteUpdateAsync(u => u
                .SetProperty(p => p.QuarantinedAt, now)
                .SetProperty(p => p.QuarantineReason, $"The stored copy no longer matches the published SHA-256 {package.Sha256} (found after a checksum failure on a device)."), ct);
    }

    /// <summary>The catalog package for the device's exact model, revision and SoC: the intended version if it exists for that hardware, else the newest.</summary>
    private async Task<FirmwarePackage?> ProposeAsync(Step s, CancellationToken ct)
    {
        var candidates = (await packages.CandidatesAsync(s.Device.Vendor, s.Package.Kind, ct)).Where(p => p.Id != s.Package.Id);
        var fitting = PackageCompatibility.AllMatching(candidates, DeviceIdentity.Of(s.Device), s.Package.Kind);
        return fitting.FirstOrDefault(p => p.Version == s.Run.IntendedVersion) ?? fitting.FirstOrDefault();
    }
}
