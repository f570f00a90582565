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
        var plan = RecoveryPlan.For(diagnosis.Cause);
        // A device that is not back in normal boot is not healthy, whatever it said before the flash. Only
        // where the failure may have taken it down: one found before writing (space, checksum, hardware)
        // left it running, and a pull device that has not polled since is not "not back" — marking it
        // degraded would make pre-flight block the very retry this run starts next.
        if (!back && plan.Entry is RecoveryRung.WaitingForSelfRecovery or RecoveryRung.BootingRecovery)
        {
            await db.Set<Device>().Where(d => d.Id == s.Device.Id && d.Health.Status == HealthStatus.Healthy)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Health.Status, HealthStatus.Degraded), ct);
        }
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
    /// <summary>The classifier's answer as the run keeps it.</summary>
    private sealed record RunDiagnosis(FailureCause Cause, double Confidence, IReadOnlyList<string> Evidence, string Summary);

    private async Task<RunDiagnosis> DiagnoseAsync(Step s, DeviceJob job, Look look, CancellationToken ct)
    {
        var entries = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.DeviceId == s.Device.Id && t.At >= job.CreatedAt)
            .OrderBy(t => t.Id)
            .ToListAsync(ct);
        var details = entries.Where(e => e.JobId == job.Id)
            .SelectMany(e => s.Driver?.Interpret(e)?.Details ?? []).ToList();
        if (look.Answered && s.Driver is { Delivery: DriverDelivery.Push } driver)
        {
            var logs = await driver.ReadLogsAsync(look.Device, ct);
            if (logs.Outcome == DriverOutcome.Done && logs.Value is { Length: > 0 } text)
            {
                details.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(200));
            }
        }
        var reportAfter = look.Report is { } r && r.ReportedAt >= job.CreatedAt ? r : null;
        var powerAfter = entries.Where(e => e.Kind == TimelineEntryKind.Power).Select(e => e.Message).ToList();
        var resetReason = reportAfter?.ResetReason ?? (powerAfter.Count > 0 ? "power-loss" : null);
        var neverReturned = !(look.Device.Health.LastSeenAt is { } seen && seen >= job.UpdatedAt) && !look.Answered;
        var fellBack = job.PreviousVersion is not null && look.Version == job.PreviousVersion && reportAfter is not null
            && (look.Device.Firmware.InactiveVersion == job.TargetVersion || job.Cause == FailureCause.BootFailure);
        var tftp = entries.Any(e => e.Kind == TimelineEntryKind.Transfer && e.Message.StartsWith("TFTP:", StringComparison.Ordinal));
        var fresh = FailureClassifier.Classify(new FailureContext(details, resetReason, neverReturned, fellBack));
        _ = tftp;
        // The job's own diagnosis stands when looking again found nothing more specific.
        if (fresh.Cause == FailureCause.Unknown && job.Cause is { } cause && cause != FailureCause.Unknown)
        {
            return new RunDiagnosis(cause, job.CauseConfidence ?? 0.5, job.CauseEvidence ?? [job.StatusReason ?? ""], job.StatusReason ?? "");
        }
        return new RunDiagnosis(fresh.Cause, fresh.Cause == FailureCause.Unknown ? 0.2 : 0.8, [fresh.Evidence], fresh.Evidence);
    }

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
        var vendor = s.Device.Vendor.ToLower();
        var candidates = await db.Set<FirmwarePackage>().AsNoTracking()
            .Where(p => p.Kind == s.Package.Kind && p.Id != s.Package.Id && p.QuarantinedAt == null && p.Vendor.ToLower() == vendor)
            .ToListAsync(ct);
        var fitting = PackageCompatibility.AllMatching(candidates, DeviceIdentity.Of(s.Device), s.Package.Kind);
        return fitting.FirstOrDefault(p => p.Version == s.Run.IntendedVersion) ?? fitting.FirstOrDefault();
    }
}
