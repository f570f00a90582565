using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>
/// The rungs that watch the device come back: waiting for its own boot-loop retry, booting its
/// recovery partition, its TFTP re-flash of the stock image, and verifying it.
/// </summary>
public sealed partial class RecoveryStepper
{
    public const string RecoveryCommand = "recovery";

    private async Task WaitingForSelfRecoveryAsync(Step s, CancellationToken ct)
    {
        var look = await LookAsync(s, ct);
        if (look.BackNormalSince(s.Run.CreatedAt))
        {
            var minutes = (s.Now - s.Run.CreatedAt).TotalMinutes;
            await MoveAsync(s, To(s, RecoveryRung.Verifying,
                $"Self-recovery: the device came back by itself after {minutes:0.#} min, running {look.Version ?? "an unreported version"}{BootAttempts(look)}; verifying it.", options.Value.VerifyWait), ct);
            return;
        }
        if (look.BootMode is "recovery")
        {
            await MoveAsync(s, To(s, RecoveryRung.Reflashing, "The device entered its recovery partition by itself; waiting for its TFTP pull of the stock image.", options.Value.ReflashWait), ct);
            return;
        }
        if (s.Now >= s.Run.RungDeadline)
        {
            await MoveAsync(s, To(s, RecoveryRung.BootingRecovery, $"Not back by itself within {options.Value.SelfRecoveryWaitFor(s.Device.Model)}{Seen(look)}; going to its recovery partition."), ct);
            return;
        }
        await KeepAsync(s, $"Waiting until {s.Run.RungDeadline:u} for the device to come back by itself{Seen(look)}.", null, ct);
    }

    private async Task BootingRecoveryAsync(Step s, CancellationToken ct)
    {
        var o = options.Value;
        var look = await LookAsync(s, ct);
        if (look.BackNormalSince(s.Run.CreatedAt))
        {
            await MoveAsync(s, To(s, RecoveryRung.Verifying, $"The device is back in normal boot, running {look.Version ?? "an unreported version"}{BootAttempts(look)}; verifying it.", o.VerifyWait), ct);
            return;
        }
        if (look.BootMode is "recovery")
        {
            await MoveAsync(s, To(s, RecoveryRung.Reflashing, "The device is in its recovery partition; waiting for its TFTP pull of the stock image.", o.ReflashWait), ct);
            return;
        }
        var stock = await StockImageAsync(s.Device, ct);
        var cannot = o.TftpServer is null ? "the TFTP server is off (Nova:Tftp:Enabled)"
            : stock is null ? $"the catalog has no stock image for {DeviceIdentity.Of(s.Device)}"
            : !s.Device.Capabilities.RecoveryPartition && !s.Device.Capabilities.RemoteRecoveryTrigger ? "the device has no recovery partition"
            : s.Run.RecoveryBoots > 0 ? "the recovery partition was tried already"
            : null;
        if (cannot is not null)
        {
            await TechnicianAsync(s, $"No automatic re-flash: {cannot}{Seen(look)}.", ct);
            return;
        }
        var attempt = s.Run.RecoveryBoots + 1;
        DriverResult result;
        if (await store.TryIssueAsync(s.Run, RecoveryCommand, attempt, s.Owner, $"Telling the device to boot its recovery partition (attempt {attempt}).", ct))
        {
            result = s.Driver is null ? DriverResult.NotSupported("No driver for this protocol.") : await s.Driver.TriggerRecoveryAsync(s.Device, ct);
        }
        else
        {
            // Written before a crash or by another replica: never send twice; watch for the pull instead.
            result = DriverResult.Pending("The recovery command was issued before; not sent again.");
        }
        var told = result.Outcome is DriverOutcome.Pending or DriverOutcome.Done;
        if (!told && !s.Device.Capabilities.RecoveryPartition)
        {
            await TechnicianAsync(s, $"The device could not be told to boot recovery ({result.Reason}) and has no recovery partition to fall into.", ct);
            return;
        }
        var wait = o.RecoveryBootWait + o.ReflashWait;
        await MoveAsync(s, To(s, RecoveryRung.Reflashing, told
            ? $"The device reboots into its recovery partition ({result.Reason}); it pulls {stock!.FileName} ({stock.Version}) from the TFTP server {o.TftpServer}."
            : $"The device could not be told to boot recovery ({result.Reason}); a device with a recovery partition falls into it after its boot loop. Waiting for its TFTP pull of {stock!.FileName}.", wait)
            with { Apply = r => r.RecoveryBoots = attempt }, ct);
    }

    private async Task ReflashingAsync(Step s, CancellationToken ct)
    {
        var look = await LookAsync(s, ct);
        var pulls = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.DeviceId == s.Device.Id && t.Kind == TimelineEntryKind.Transfer && t.At >= s.Run.RungStartedAt && t.Message.StartsWith("TFTP:"))
            .OrderBy(t => t.Id).Select(t => t.Message).ToListAsync(ct);
        if (look.BackNormalSince(s.Run.RungStartedAt))
        {
            var how = pulls.Count > 0 ? $"re-flashed over TFTP ({pulls[^1]})" : "back without a TFTP pull";
            await MoveAsync(s, To(s, RecoveryRung.Verifying, $"The device is {how}, running {look.Version ?? "an unreported version"}; verifying it.", options.Value.VerifyWait), ct);
            return;
        }
        if (s.Now >= s.Run.RungDeadline)
        {
            var what = pulls.Count == 0 ? "it never pulled the stock image over TFTP" : $"it pulled over TFTP but did not come back ({pulls[^1]})";
            await TechnicianAsync(s, $"The re-flash from the recovery partition did not bring the device back: {what}{Seen(look)}.", ct);
            return;
        }
        await KeepAsync(s, pulls.Count == 0 ? $"Waiting until {s.Run.RungDeadline:u} for the device's TFTP pull{Seen(look)}." : $"{pulls[^1]} Waiting for the device to write it and boot.", null, ct);
    }

    private async Task VerifyingAsync(Step s, CancellationToken ct)
    {
        var look = await LookAsync(s, ct);
        var since = s.Run.RungStartedAt;
        var ok = look.BackNormalSince(since) && look.Version is not null
            && (look.Report?.Led is not { } led || Verification.IsSolidOk(led))
            && look.Device.Health.Status != HealthStatus.Offline;
        if (ok)
        {
            var version = look.Version!;
            var (refine, refined) = await RefineAsync(s, look, ct);
            if (refined is not null)
            {
                s = s with { Run = Copy(s.Run, refined) };
            }
            var plan = RecoveryPlan.For(s.Run.Cause);
            if (version != s.Run.IntendedVersion && s.Run.ReattemptIntended && s.Run.Retries < plan.MaxRetries && s.Run.Cause != FailureCause.WrongHardware)
            {
                await MarkHealthyAsync(s.Device.Id, ct);
                await RetryAsync(s, $"{refine}The device is back on {version}, healthy; re-attempting {s.Run.IntendedVersion} as the operator chose.", r => Keep(r, refined), null, ct);
                return;
            }
            await MarkHealthyAsync(s.Device.Id, ct);
            var settled = version == s.Run.IntendedVersion ? $"on the intended version {version}"
                : $"on {version}; the intended {s.Run.IntendedVersion} is not applied" + (s.Run.ReattemptIntended ? " (its re-attempts are used up)." : " (re-attempt not chosen).");
            await MoveAsync(s, To(s, RecoveryRung.Recovered, $"{refine}Recovered {settled}: normal boot, checking in healthy.") with { Apply = r => { r.RecoveredVersion = version; Keep(r, refined); } }, ct);
            return;
        }
        if (s.Now >= s.Run.RungDeadline)
        {
            var stock = await StockImageAsync(s.Device, ct);
            if (s.Run.RecoveryBoots == 0 && options.Value.TftpServer is not null && stock is not null
                && (s.Device.Capabilities.RecoveryPartition || s.Device.Capabilities.RemoteRecoveryTrigger))
            {
                await MoveAsync(s, To(s, RecoveryRung.BootingRecovery, $"Not verified within {options.Value.VerifyWait}{Seen(look)}; going to its recovery partition."), ct);
                return;
            }
            await TechnicianAsync(s, $"Not verified within {options.Value.VerifyWait}{Seen(look)}.", ct);
            return;
        }
        await KeepAsync(s, $"Waiting for normal boot, a reported version and a healthy check-in{Seen(look)}.", null, ct);
    }

    /// <summary>
    /// A device that was silent when it was diagnosed (a brick, a camera that never came back) can be
    /// read once it is back: its own log may say what happened (a power cut mid-write survives in a
    /// persistent log). A surer, more specific cause replaces the one guessed from the silence.
    /// </summary>
    private async Task<(string Says, Diagnosis? Refined)> RefineAsync(Step s, Look look, CancellationToken ct)
    {
        if (s.Driver is not { Delivery: DriverDelivery.Push } driver || (s.Run.Cause is not (FailureCause.Unreachable or FailureCause.Unknown) && s.Run.Confidence >= 0.7))
        {
            return ("", null);
        }
        var lines = await LogTailAsync(driver, look.Device, ct);
        if (lines.Count == 0)
        {
            return ("", null);
        }
        var refined = FailureClassifier.Classify(new FailureContext([], null, false, false) { DeviceLogs = lines });
        if (refined.Cause is FailureCause.Unknown or FailureCause.Unreachable || refined.Cause == s.Run.Cause || refined.Confidence <= s.Run.Confidence)
        {
            return ("", null);
        }
        return ($"Diagnosis refined now that the device's log can be read: {refined.Cause.ToWire()} (confidence {refined.Confidence:0.00}), was {s.Run.Cause.ToWire()}. ", refined);
    }

    private static RecoveryRun Copy(RecoveryRun run, Diagnosis d) => new()
    {
        Id = run.Id, DeviceId = run.DeviceId, FailedJobId = run.FailedJobId, PackageId = run.PackageId, IntendedVersion = run.IntendedVersion,
        Rung = run.Rung, ActiveDeviceId = run.ActiveDeviceId, Cause = d.Cause, Confidence = d.Confidence, Evidence = [.. d.Evidence],
        StatusReason = run.StatusReason, Retries = run.Retries, RecoveryBoots = run.RecoveryBoots, RetryJobId = run.RetryJobId,
        ReattemptIntended = run.ReattemptIntended, CreatedAt = run.CreatedAt, UpdatedAt = run.UpdatedAt, RungStartedAt = run.RungStartedAt,
        RungDeadline = run.RungDeadline, NextActionAt = run.NextActionAt, LeaseOwner = run.LeaseOwner, LeaseUntil = run.LeaseUntil,
    };

    private static void Keep(RecoveryRun run, Diagnosis? refined)
    {
        if (refined is not null)
        {
            run.Cause = refined.Cause;
            run.Confidence = refined.Confidence;
            run.Evidence = [.. refined.Evidence];
        }
    }

    private async Task MarkHealthyAsync(Guid deviceId, CancellationToken ct) =>
        await db.Set<Device>().Where(d => d.Id == deviceId && d.Health.Status == HealthStatus.Degraded)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Health.Status, HealthStatus.Healthy), ct);

    private Task<FirmwarePackage?> StockImageAsync(Device device, CancellationToken ct) => ImageAsync(device, PackageKind.Stock, ct);

    /// <summary>The catalog's image of <paramref name="kind"/> for the device's exact hardware, never a quarantined one.</summary>
    private async Task<FirmwarePackage?> ImageAsync(Device device, PackageKind kind, CancellationToken ct)
    {
        var candidates = await packages.CandidatesAsync(device.Vendor, kind, ct);
        return PackageCompatibility.FindMatching(candidates, DeviceIdentity.Of(device), kind);
    }

    private static string Seen(Look look) =>
        look.Why is { } why ? $" (last look: {why})" : look.BootMode is { } mode && !DeviceHealthRule.IsNormalBootMode(mode) ? $" (the device reports boot mode '{mode}')" : "";

    /// <summary>How many boots it took, where the device says (bootcount-style attributes).</summary>
    private static string BootAttempts(Look look) =>
        look.Report is { } report && BootCount.Of(report) is { } n && n > 1 ? $" after {n} boot attempts" : "";
}
