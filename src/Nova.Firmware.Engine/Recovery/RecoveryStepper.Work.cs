using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>
/// The rungs that start work and wait for it: the clean-up, a retry as a fresh device job, and a
/// technician task when automation ran out.
/// </summary>
public sealed partial class RecoveryStepper
{
    public const string CleanUpCommand = "recovery-clean-up";

    /// <summary>What the retry's pre-flight gate will ask for: the image and its margin, not the image alone.</summary>
    private long RequiredFreeBytes(Step s) => engine.Value.Preflight.RequiredFreeBytes(s.Package.Size);

    private async Task CleaningUpAsync(Step s, CancellationToken ct)
    {
        var needed = RequiredFreeBytes(s);
        var look = await LookAsync(s, ct);
        var free = look.Device.Storage.FreeBytes;
        if (free >= needed)
        {
            await RetryAsync(s, $"{free} bytes free, {needed} needed: retrying.", null, null, ct);
            return;
        }
        if (s.Driver is not null && s.Driver.CanCleanUp(s.Device)
            && await store.TryIssueAsync(s.Run, CleanUpCommand, 1, s.Owner, $"Asking the device to clear {needed - (free ?? 0)} bytes of logs, old firmware backups and snapshots.", ct))
        {
            var result = await s.Driver.CleanUpAsync(s.Device, needed - (free ?? 0), ct);
            await KeepAsync(s, $"Clean-up asked: {result.Reason ?? result.Outcome.ToWire()}. Measuring again.", TimeSpan.Zero, ct);
            return;
        }
        var offered = s.Driver is not null && s.Driver.CanCleanUp(s.Device);
        if (free is null && s.Now < s.Run.RungDeadline)
        {
            // No measurement yet (a pull device reports its storage when it next polls): a shortfall
            // computed against "nothing free" would send the technician after bytes that may not be missing.
            await KeepAsync(s, $"Waiting for the device to report its free space: {needed} bytes needed.", null, ct);
            return;
        }
        if (!offered || s.Now >= s.Run.RungDeadline)
        {
            long? shortfall = free is { } f ? needed - f : null;
            var what = free is null
                ? $"Free space unknown (the device did not report it within the clean-up wait), {needed} bytes needed"
                : $"Still short of space: {free} bytes free, {needed} needed, {shortfall} bytes missing";
            var why = offered
                ? " after the device's clean-up."
                : ". The device offers no clean-up: sign in to its web UI (or serial console) and clear log partitions, old firmware backups or uploaded snapshots, then retry.";
            await MoveAsync(s, To(s, RecoveryRung.Blocked, what + why)
                with { Apply = r => { r.BlockingCheck = PreflightCheck.Space; r.ShortfallBytes = shortfall; } }, ct);
            return;
        }
        await KeepAsync(s, $"Waiting for the clean-up to show: {free?.ToString() ?? "unknown"} bytes free, {needed} needed.", null, ct);
    }

    /// <summary>Starts a fresh device job for the intended package (a new action: the device downloads from scratch).</summary>
    private async Task RetryAsync(Step s, string reason, Action<RecoveryRun>? apply, string? data, CancellationToken ct)
    {
        var plan = RecoveryPlan.For(s.Run.Cause);
        if (s.Run.Retries >= plan.MaxRetries)
        {
            await TechnicianOrBlockAsync(s, $"{reason} But the run's {plan.MaxRetries} retr{(plan.MaxRetries == 1 ? "y is" : "ies are")} used up.", ct);
            return;
        }
        await StartJobAsync(s, s.Run.PackageId, s.Run.IntendedVersion, reason, apply, data, ct);
    }

    private async Task StartJobAsync(Step s, Guid packageId, string version, string reason, Action<RecoveryRun>? apply, string? data, CancellationToken ct)
    {
        var job = DeviceJob.Queue(s.Device, packageId, version, $"recovery run {s.Run.Id}", s.Now);
        await MoveAsync(s, To(s, RecoveryRung.Retrying, $"{reason} Device job started for {version}.") with { Apply = apply, Job = job, TimelineData = data }, ct);
    }

    private async Task RetryingAsync(Step s, CancellationToken ct)
    {
        if (s.Run.RetryJobId is not { } jobId)
        {
            throw new InvalidOperationException($"Recovery run {s.Run.Id} is retrying without a job.");
        }
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
        switch (job.Status)
        {
            case DeviceJobStatus.Succeeded:
                await MarkHealthyAsync(s.Device.Id, ct);
                await MoveAsync(s, To(s, RecoveryRung.Recovered, $"Device job {job.Id} flashed and verified {job.TargetVersion}.") with { Apply = r => r.RecoveredVersion = job.TargetVersion }, ct);
                return;
            case DeviceJobStatus.Blocked:
                await MoveAsync(s, To(s, RecoveryRung.Blocked, $"Device job {job.Id} was blocked: {job.StatusReason}")
                    with { Apply = r => { r.BlockingCheck = job.BlockingCheck; r.ShortfallBytes = job.BlockingCheck == PreflightCheck.Space ? ShortfallOf(s) : null; } }, ct);
                return;
            case DeviceJobStatus.Cancelled:
                await MoveAsync(s, To(s, RecoveryRung.Closed, $"Device job {job.Id} was cancelled by an operator; the run ends there."), ct);
                return;
            case DeviceJobStatus.Failed:
                await AfterFailedRetryAsync(s, job, ct);
                return;
            case DeviceJobStatus.Queued:
            case DeviceJobStatus.Preflight:
            case DeviceJobStatus.Waiting:
            case DeviceJobStatus.CleaningUp:
            case DeviceJobStatus.Transferring:
            case DeviceJobStatus.Flashing:
            case DeviceJobStatus.Rebooting:
            case DeviceJobStatus.Verifying:
            default:
                // Still running: the job's end wakes the run (DeviceJobStore), the recheck is a safety net.
                await KeepAsync(s, $"Device job {job.Id} is {job.Status.ToWire()}: {job.StatusReason}", TimeSpan.FromSeconds(30), ct);
                return;
        }
    }

    private long? ShortfallOf(Step s) => s.Device.Storage.FreeBytes is { } free && free < RequiredFreeBytes(s) ? RequiredFreeBytes(s) - free : null;

    /// <summary>A retry that failed again: causes the device cannot outgrow end the run; the others go down the ladder.</summary>
    private async Task AfterFailedRetryAsync(Step s, DeviceJob job, CancellationToken ct)
    {
        var cause = job.Cause ?? FailureCause.Unknown;
        var again = $"Device job {job.Id} failed again ({cause.ToWire()}): {job.StatusReason}";
        PreflightCheck? check = cause switch
        {
            FailureCause.InsufficientSpace => PreflightCheck.Space,
            FailureCause.ChecksumMismatch => PreflightCheck.Checksum,
            FailureCause.WrongHardware => PreflightCheck.Compatibility,
            FailureCause.PowerLoss or FailureCause.Unreachable or FailureCause.BootFailure or FailureCause.Unknown => null,
            _ => null,
        };
        if (check is { } c)
        {
            var hint = cause == FailureCause.ChecksumMismatch
                ? " Two clean transfers arrived damaged: the path to the device corrupts data (check its link, proxy or storage); not retried again."
                : "";
            await MoveAsync(s, To(s, RecoveryRung.Blocked, again + hint) with { Apply = r => { r.BlockingCheck = c; r.ShortfallBytes = c == PreflightCheck.Space ? ShortfallOf(s) : null; } }, ct);
            return;
        }
        var entry = RecoveryPlan.For(cause).Entry;
        if (entry == RecoveryRung.WaitingForSelfRecovery && (s.Device.Capabilities.BootLoopRetry || s.Device.Capabilities.AbSlots))
        {
            var wait = options.Value.SelfRecoveryWaitFor(s.Device.Model);
            await MoveAsync(s, To(s, RecoveryRung.WaitingForSelfRecovery, $"{again} Waiting up to {wait} for the device to come back by itself.", wait), ct);
            return;
        }
        await MoveAsync(s, To(s, RecoveryRung.BootingRecovery, $"{again} Looking at the device and its recovery partition."), ct);
    }

    private async Task AwaitingTechnicianAsync(Step s, CancellationToken ct)
    {
        var look = await LookAsync(s, ct);
        if (look.BackNormalSince(s.Run.RungStartedAt))
        {
            // The task is cancelled with the move or not at all: never a cancelled task on a run still waiting for it.
            await MoveAsync(s, To(s, RecoveryRung.Verifying, "The device is back in normal boot before the technician task was done; verifying it.", options.Value.VerifyWait) with
            {
                Also = async (d, c) =>
                {
                    await d.Set<TechnicianTask>().Where(t => t.RunId == s.Run.Id && t.Status == TechnicianTaskStatus.Open)
                        .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TechnicianTaskStatus.Cancelled)
                            .SetProperty(t => t.Note, "The device came back before the task was done.").SetProperty(t => t.CompletedAt, s.Now), c);
                    return true;
                },
            }, ct);
            return;
        }
        // A person is on it; asking a silent device every few seconds helps nobody.
        await KeepAsync(s, s.Run.StatusReason, TimeSpan.FromMinutes(1), ct);
    }

    /// <summary>Automation ran out: open the technician task with the model's steps.</summary>
    private async Task TechnicianAsync(Step s, string why, CancellationToken ct)
    {
        var o = options.Value;
        var stock = await StockImageAsync(s.Device, ct);
        var url = stock is null ? null : o.PackageFileUrl.Replace("{id}", stock.Id.ToString(), StringComparison.Ordinal);
        // The card gets the vendor's bootable SD image, never the raw stock image the recovery partition pulls.
        var sd = s.Device.Capabilities.SdSlot ? await ImageAsync(s.Device, PackageKind.SdRecovery, ct) : null;
        var sdUrl = sd is null ? null : o.PackageFileUrl.Replace("{id}", sd.Id.ToString(), StringComparison.Ordinal);
        var (steps, led, photos) = TechnicianSteps.Build(new TechnicianStepsInput(s.Device, o.ProfileFor(s.Device.Model), s.Run.Cause, stock, url, o.TftpServer, sd, sdUrl));
        var task = new TechnicianTask
        {
            DeviceId = s.Device.Id,
            Status = TechnicianTaskStatus.Open,
            Title = $"Recover {s.Device.Name ?? s.Device.ControllerId} ({s.Device.Model} rev {s.Device.HardwareRevision})" + (s.Device.Site is { } site ? $" at {site}" : ""),
            Reason = why,
            Steps = steps,
            WaitForLed = led,
            PhotosWanted = photos,
            SdImagePackageId = sd?.Id,
            SdImageSha256 = sd?.Sha256,
            SdImageUrl = sdUrl,
            CreatedAt = s.Now,
        };
        var change = new RungChange(RecoveryRung.AwaitingTechnician, $"{why} A technician task is open with the steps for {s.Device.Model}.", s.Now + TimeSpan.FromMinutes(1));
        var earlier = await db.Set<TechnicianTask>().AsNoTracking().Where(t => t.RunId == s.Run.Id).Select(t => (long?)t.Id).SingleOrDefaultAsync(ct);
        if (earlier is not { } earlierId)
        {
            await MoveAsync(s, change with { Task = task }, ct);
            return;
        }
        // A run has one task (a unique index): back on this rung after a visit that did not bring the
        // device back (or a task cancelled because it came back unhealthy), the same task opens again,
        // its photos kept for the RMA bundle and its earlier outcome kept in the reason.
        await MoveAsync(s, change with
        {
            Also = async (d, c) =>
            {
                var open = await d.Set<TechnicianTask>().SingleAsync(t => t.Id == earlierId, c);
                var before = $" Opened again: it was {open.Status.ToWire()}" + (open.CompletedBy is { } by ? $" by {by}" : "") + (open.CompletedAt is { } at ? $" at {at:u}" : "")
                    + (open.Note is { Length: > 0 } note ? $" ({note})" : "") + ".";
                var reason = why + before;
                open.Status = TechnicianTaskStatus.Open;
                open.Reason = reason.Length > 2000 ? reason[..2000] : reason;
                open.Steps = task.Steps;
                open.WaitForLed = task.WaitForLed;
                open.PhotosWanted = task.PhotosWanted;
                open.SdImagePackageId = task.SdImagePackageId;
                open.SdImageSha256 = task.SdImageSha256;
                open.SdImageUrl = task.SdImageUrl;
                open.CompletedAt = null;
                open.CompletedBy = null;
                open.Note = null;
                return true;
            },
        }, ct);
    }

    /// <summary>Retries used up: a device that is down needs a person; one that is up ends blocked with the reason.</summary>
    private async Task TechnicianOrBlockAsync(Step s, string why, CancellationToken ct)
    {
        var look = await LookAsync(s, ct);
        if (look.BackNormalSince(s.Run.CreatedAt))
        {
            await MoveAsync(s, To(s, RecoveryRung.Blocked, $"{why} The device runs {look.Version ?? "an unreported version"}; nothing more is tried automatically."), ct);
            return;
        }
        await TechnicianAsync(s, why, ct);
    }
}
