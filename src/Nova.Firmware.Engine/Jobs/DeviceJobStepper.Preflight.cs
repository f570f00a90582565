using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>Pre-flight, waiting and clean-up: everything before the first byte is sent.</summary>
public sealed partial class DeviceJobStepper
{
    /// <summary>
    /// Reads the device's present state, runs the gate, and moves on: blocked (permanent), waiting
    /// (transient, with a re-check time), cleaning-up, or transferring. A waiting job comes back
    /// here at its re-check time; it keeps waiting without a new timeline entry each time.
    /// </summary>
    private async Task PreflightAsync(Step s, CancellationToken ct)
    {
        var waiting = s.Job.Status == DeviceJobStatus.Waiting;
        if (s.Job.CancelRequested)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, waiting ? "Cancelled while waiting; nothing was sent." : "Cancelled during pre-flight; nothing was sent.", s.Now), ct);
            return;
        }
        var contact = await ReadPresentStateAsync(s, ct);
        if (contact.Outcome == DeviceContactOutcome.Answered)
        {
            s = await LoadAsync(s.Job, s.Driver, s.Owner, ct);
        }
        var verdict = await EvaluateGateAsync(s.Device, s.Report, s.Package, s.Driver, contact, ct);
        metrics.PreflightEvaluated(verdict);
        var data = JsonSerializer.Serialize(verdict);
        switch (verdict.Decision)
        {
            case PreflightDecision.Block:
                var block = verdict.FirstBlock ?? verdict.Results.First(r => r.Outcome != CheckOutcome.Pass);
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked, block.Reason, s.Now, BlockingCheck: block.Check, TimelineData: data), ct);
                return;
            case PreflightDecision.Wait:
                await WaitAsync(s, verdict, data, ct);
                return;
            case PreflightDecision.CleanUp when waiting:
            case PreflightDecision.Proceed when waiting:
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Preflight, "What held the job back has passed; checking again.", s.Now), ct);
                return;
            case PreflightDecision.CleanUp:
                if (await HasCleanedUpAsync(s.Job, ct))
                {
                    await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked,
                        $"A clean-up ran but the device is still short by {verdict.BytesToFree} bytes. " + verdict.Results.First(r => r.Check == PreflightCheck.Space).Reason,
                        s.Now, BlockingCheck: PreflightCheck.Space, TimelineData: data), ct);
                    return;
                }
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.CleaningUp, $"Clearing {verdict.BytesToFree} bytes of logs, old firmware backups and snapshots.", s.Now, TimelineData: data), ct);
                return;
            case PreflightDecision.Proceed:
                var logs = await s.Driver.ReadLogsAsync(s.Device, ct);
                var snapshot = PreFlashSnapshot.Capture(s.Device, s.Report, logs, s.Now);
                var unknown = verdict.Results.Where(r => r.Outcome == CheckOutcome.Unknown).Select(r => r.Check.ToString().ToLowerInvariant()).ToList();
                var note = unknown.Count == 0 ? "All pre-flight checks passed." : $"Pre-flight passed; not known: {string.Join(", ", unknown)}.";
                // The transfer itself is issued by the next step, once this move is committed.
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Transferring, note, s.Now, PreFlashSnapshot: snapshot, TimelineData: data), ct);
                return;
            default:
                throw new InvalidOperationException($"Unknown pre-flight decision {verdict.Decision}.");
        }
    }

    private async Task WaitAsync(Step s, PreflightVerdict verdict, string data, CancellationToken ct)
    {
        var wait = verdict.FirstWait!;
        var recheck = verdict.RecheckAt ?? s.Now + options.Value.Preflight.WaitRecheckInterval;
        if (s.Job.Status == DeviceJobStatus.Preflight)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Waiting, $"{wait.Reason} Re-checking at {recheck:u}.", recheck, TimelineData: data), ct);
            return;
        }
        var maxWait = options.Value.MaxWait;
        if (s.Now - s.Job.StepStartedAt > maxWait)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked,
                $"Still waiting after {maxWait}: {wait.Reason}", s.Now, BlockingCheck: wait.Check, TimelineData: data), ct);
            return;
        }
        await store.KeepWaitingAsync(s.Job.Id, s.Owner, $"{wait.Reason} Re-checking at {recheck:u}.", recheck, ct);
    }

    private async Task CleaningUpAsync(Step s, CancellationToken ct)
    {
        if (s.Job.CancelRequested)
        {
            await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "Cancelled during clean-up; nothing was flashed.", s.Now), ct);
            return;
        }
        var required = options.Value.Preflight.RequiredFreeBytes(s.Package.Size);
        if (await commands.FindAsync(s.Job.Id, DeviceCommandStore.CleanUp, 1, ct) is null)
        {
            var toFree = Math.Max(0, required - (s.Device.Storage.FreeBytes ?? 0));
            var issued = await commands.TryIssueAsync(s.Job, DeviceJobStatus.CleaningUp, DeviceCommandStore.CleanUp, 1, s.Owner, markServed: false,
                $"Asked the device to clear {toFree} bytes of logs, old firmware backups and snapshots.", ct);
            if (issued is null)
            {
                return;
            }
            var result = await s.Driver.CleanUpAsync(s.Device, toFree, ct);
            await commands.CompleteAsync(issued.Id, result, ct);
            if (result.Outcome is not (DriverOutcome.Done or DriverOutcome.Pending))
            {
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Blocked, $"Short by {toFree} bytes and clean-up failed: {result.Reason}", s.Now, BlockingCheck: PreflightCheck.Space), ct);
                return;
            }
            await store.ReleaseAsync(s.Job.Id, s.Owner, s.Now + options.Value.RecheckInterval, s.Now, ct);
            return;
        }
        // Re-measure: the free space the device reports now, not the figure from before the clean-up.
        if ((await ReadPresentStateAsync(s, ct)).Outcome == DeviceContactOutcome.Answered)
        {
            s = await LoadAsync(s.Job, s.Driver, s.Owner, ct);
        }
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
        await store.ReleaseAsync(s.Job.Id, s.Owner, s.Now + options.Value.RecheckInterval, s.Now, ct);
    }

    /// <summary>
    /// Asks the device for its present state where the protocol can ask (free space now, not the
    /// figure from its last reboot) and stores what it says. Pull devices cannot be asked.
    /// </summary>
    private async Task<DeviceContact> ReadPresentStateAsync(Step s, CancellationToken ct)
    {
        var result = await s.Driver.ReadTelemetryAsync(s.Device, ct);
        switch (result.Outcome)
        {
            case DriverOutcome.Done:
                if (result.Reading is { } reading)
                {
                    await readings.RecordAsync(s.Device.Id, s.Job.Id, reading, ct);
                }
                return new DeviceContact(DeviceContactOutcome.Answered);
            case DriverOutcome.Unreachable:
            case DriverOutcome.Failed:
                return new DeviceContact(DeviceContactOutcome.Unreachable, result.Reason);
            case DriverOutcome.Unauthorized:
                return new DeviceContact(DeviceContactOutcome.Unauthorized, result.Reason);
            case DriverOutcome.Pending:
            case DriverOutcome.NotSupported:
                return DeviceContact.NotAsked;
            default:
                throw new InvalidOperationException($"Unknown driver outcome {result.Outcome}.");
        }
    }

    private Task<bool> HasCleanedUpAsync(DeviceJob job, CancellationToken ct) =>
        db.Set<TimelineEntry>().AsNoTracking().AnyAsync(t => t.JobId == job.Id && t.Kind == TimelineEntryKind.Transition && t.Message.Contains("→ cleaning-up"), ct);

    private async Task<PreflightVerdict> EvaluateGateAsync(Device device, DeviceReport? report, FirmwarePackage package, IDeviceDriver driver, DeviceContact contact, CancellationToken ct)
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
        var input = new PreflightInput(device, report, package, problems, matching, await blobs.IsIntactAsync(package, ct), feedEvent, driver.CanCleanUp(device), time.GetUtcNow())
        {
            Contact = contact,
        };
        return new PreflightGate(options.Value.Preflight).Evaluate(input);
    }

    /// <summary>
    /// The dry-run endpoint's entry: the gate's verdict on what is stored, without creating,
    /// changing or contacting anything (a job reads the device live when it runs). A device whose
    /// protocol has no driver gets a verdict that says so instead of an error.
    /// </summary>
    public async Task<PreflightVerdict> DryRunAsync(Device device, FirmwarePackage package, CancellationToken ct)
    {
        var report = await db.Set<DeviceReport>().AsNoTracking().SingleOrDefaultAsync(r => r.DeviceId == device.Id, ct);
        if (drivers.Find(device.Protocol) is not { } driver || driver.CannotFlash(device) is not null)
        {
            var why = drivers.CannotFlash(device)!;
            return new PreflightVerdict([new PreflightCheckResult(PreflightCheck.Reachability, CheckOutcome.Block, why)], PreflightDecision.Block, 0);
        }
        return await EvaluateGateAsync(device, report, package, driver, DeviceContact.NotAsked, ct);
    }
}
