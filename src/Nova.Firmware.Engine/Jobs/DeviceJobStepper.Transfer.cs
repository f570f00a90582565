using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>Transferring, flashing, rebooting: issuing the transfer once, then following what the device says.</summary>
public sealed partial class DeviceJobStepper
{
    private async Task FollowDeviceAsync(Step s, CancellationToken ct)
    {
        // Two passes at most: what the device said so far, then (once) what the driver just saw,
        // read back at once rather than after the re-check interval.
        for (var pass = 0; ; pass++)
        {
            var observations = await ObservationsAsync(s.Job.Id, ct);
            var (ended, status, lost) = await ApplySignalsAsync(s, observations, ct);
            if (ended)
            {
                return;
            }
            var attempt = lost + 1;
            if (status == DeviceJobStatus.Transferring)
            {
                if (s.Job.CancelRequested && s.Job.ActionServedAt is null)
                {
                    await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Cancelled,
                        s.Driver.Delivery == DriverDelivery.Pull ? "Cancelled before the device fetched the action; nothing was sent." : "Cancelled before the image was sent; nothing was sent.", s.Now), ct);
                    return;
                }
                if (attempt > options.Value.MaxTransferAttempts)
                {
                    await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Failed,
                        $"The transfer was cut off {lost} times before the device took the image (each time the device was found idle on its old firmware).", s.Now, FailureCause.Unreachable), ct);
                    return;
                }
                if (await commands.FindAsync(s.Job.Id, DeviceCommandStore.Transfer, attempt, ct) is null)
                {
                    if (lost > 0)
                    {
                        LogTransferLost(log, s.Job.Id, lost);
                    }
                    await IssueTransferAsync(s, observations, attempt, ct);
                    return;
                }
            }
            var observed = false;
            if (pass == 0)
            {
                await s.Driver.FollowAsync(Context(s, observations, attempt, () => observed = true), ct);
            }
            if (!observed)
            {
                await FailIfSilentAsync(s, status, observations, ct);
                return;
            }
            var job = await db.Set<DeviceJob>().AsNoTracking().SingleAsync(j => j.Id == s.Job.Id, ct);
            s = await LoadAsync(job, s.Driver, s.Owner, ct);
        }
    }

    /// <summary>
    /// Every observation of the job, every time: signals are idempotent against the current status
    /// (a Downloaded seen again while Flashing changes nothing), and reading all of them cannot miss
    /// one that committed late with a lower id (PostgreSQL sequences do not commit in order).
    /// </summary>
    /// <returns>Whether the job ended or moved where this step has nothing more to do; the status it is in; how many pushes were lost.</returns>
    private async Task<(bool Ended, DeviceJobStatus Status, int Lost)> ApplySignalsAsync(Step s, IReadOnlyList<TimelineEntry> observations, CancellationToken ct)
    {
        var status = s.Job.Status;
        var lost = 0;
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
                    await MoveAsync(s.Job, status, s.Owner, Failed(diagnosis.Summary, s.Now, diagnosis), ct);
                    return (true, status, lost);
                case JobSignalKind.ReportedSuccess:
                    await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Verifying,
                        "The device reports the update done; verifying boot, version and health ourselves.", s.Now), ct);
                    return (true, status, lost);
                case JobSignalKind.Cancelled:
                    await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Cancelled, "The device confirmed the cancellation.", s.Now), ct);
                    return (true, status, lost);
                case JobSignalKind.Downloaded when status == DeviceJobStatus.Transferring:
                    if (!await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Flashing, "The device has the image and checked it; writing.", s.Now), ct))
                    {
                        return (true, status, lost);
                    }
                    status = DeviceJobStatus.Flashing;
                    break;
                case JobSignalKind.Installed when status is DeviceJobStatus.Transferring or DeviceJobStatus.Flashing:
                    if (!await MoveAsync(s.Job, status, s.Owner, new JobTransition(DeviceJobStatus.Rebooting, "Written; the device is rebooting into it.", s.Now), ct))
                    {
                        return (true, status, lost);
                    }
                    status = DeviceJobStatus.Rebooting;
                    break;
                case JobSignalKind.TransferLost:
                    lost++;
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
        return (false, status, lost);
    }

    /// <summary>
    /// Writes the command row (the claim), then calls the driver. A push keeps the lease renewed
    /// while it runs; if the lease is lost, the push is stopped so two replicas never send at once.
    /// A push cut off by a crash leaves the row without an outcome: the next step does not send
    /// again but lets the driver look at the device first (<see cref="IDeviceDriver.FollowAsync"/>).
    /// </summary>
    private async Task IssueTransferAsync(Step s, IReadOnlyList<TimelineEntry> observations, int attempt, CancellationToken ct)
    {
        var push = s.Driver.Delivery == DriverDelivery.Push;
        var message = push
            ? $"Sending {s.Package.FileName} ({s.Package.Size} bytes, sha256 {s.Package.Sha256}) to the device, attempt {attempt}."
            : $"Action {s.Job.Id} offered to the device at its next poll: {s.Package.FileName} ({s.Package.Size} bytes).";
        var command = await commands.TryIssueAsync(s.Job, DeviceJobStatus.Transferring, DeviceCommandStore.Transfer, attempt, s.Owner, markServed: push, message, ct);
        if (command is null)
        {
            return;
        }
        LogIssued(log, s.Job.Id, attempt, s.Device.Id);
        var context = Context(s, observations, attempt, () => { });
        DriverResult result;
        try
        {
            result = push
                ? await leases.RunAsync(s.Job.Id, s.Owner, t => s.Driver.TransferAndFlashAsync(context, t), ct)
                : await s.Driver.TransferAndFlashAsync(context, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Lease lost, or the driver gave up in a way it did not name: what reached the device is
            // not known, so the next steps ask the driver to look before anything is sent again.
            result = DriverResult.Unreachable($"The transfer stopped: {e.Message}");
        }
        await commands.CompleteAsync(command.Id, result, ct);
        switch (result.Outcome)
        {
            case DriverOutcome.Done:
            case DriverOutcome.Pending:
                // Offered to a pull device: its fetching the action makes the job due.
                await store.ReleaseAsync(s.Job.Id, s.Owner, push ? time.GetUtcNow() : NextLook(s, s.Now + s.Deadlines.Transfer), s.Now, ct);
                return;
            case DriverOutcome.Unreachable:
                await store.ReleaseAsync(s.Job.Id, s.Owner, time.GetUtcNow() + options.Value.RecheckInterval, s.Now, ct);
                return;
            case DriverOutcome.Failed:
            case DriverOutcome.NotSupported:
            case DriverOutcome.Unauthorized:
                var diagnosis = await DiagnoseAsync(s, neverReturned: false, fellBack: false, ct, extra: [result.Reason ?? ""]);
                // The driver usually recorded the device's words too: say them once.
                var evidence = result.Reason is { Length: > 0 } words && !diagnosis.Summary.Contains(words, StringComparison.Ordinal)
                    ? $"{words} {diagnosis.Summary}" : diagnosis.Summary;
                await MoveAsync(s.Job, DeviceJobStatus.Transferring, s.Owner, Failed(evidence, time.GetUtcNow(), diagnosis), ct);
                return;
            default:
                throw new InvalidOperationException($"Unknown driver outcome {result.Outcome}.");
        }
    }

    /// <summary>
    /// "No word for too long": counted from the step's start, the device's last word on this job,
    /// or this engine's start, whichever is latest: a device must not be failed for the time the
    /// server itself was down and could not hear it.
    /// </summary>
    private async Task FailIfSilentAsync(Step s, DeviceJobStatus status, IReadOnlyList<TimelineEntry> observations, CancellationToken ct)
    {
        var stepStarted = status == s.Job.Status ? s.Job.StepStartedAt : s.Now;
        var lastWord = observations.Count == 0 ? (DateTimeOffset?)null : observations.Max(o => o.At);
        // Pull devices go quiet while they write and reboot, so Flashing covers both.
        var deadline = status == DeviceJobStatus.Transferring ? s.Deadlines.Transfer
            : status == DeviceJobStatus.Flashing ? s.Deadlines.Flash + s.Deadlines.Reboot
            : s.Deadlines.Reboot;
        var quietSince = Latest(stepStarted, lastWord, startup.StartedAt);
        if (s.Now - quietSince > deadline)
        {
            // Silent since its last word, not merely since the step began: a gateway that polled and
            // downloaded early in the step and then vanished did not "return".
            var seenSince = s.Device.Health.LastSeenAt is { } seen && seen > quietSince;
            // A pull device that took the image and then fell silent did so while writing it: it was in
            // flashing, or still transferring but had said it was installing (SWUpdate streams: it
            // writes while it downloads, and says "Installing" when the writing starts).
            var vanished = !seenSince && (status == DeviceJobStatus.Flashing
                || (status == DeviceJobStatus.Transferring && SaidItWasInstalling(s, observations)));
            var diagnosis = await DiagnoseAsync(s, neverReturned: !seenSince, fellBack: false, ct, observations, vanishedWhileWriting: vanished);
            var evidence = $"No word from the device for {deadline} in step {status.ToWire()}. {diagnosis.Summary}";
            await MoveAsync(s.Job, status, s.Owner, Failed(evidence, s.Now, diagnosis), ct);
            return;
        }
        await store.ReleaseAsync(s.Job.Id, s.Owner, NextLook(s, quietSince + deadline), s.Now, ct);
    }

    /// <summary>
    /// When to look again without news. A pull device's news makes the job due by itself (the
    /// observation sink), so its job is looked at only for its silence deadline, at most
    /// <see cref="Options.EngineOptions.QuietRecheckInterval"/> apart; a push device is asked, so
    /// it is followed every <see cref="Options.EngineOptions.RecheckInterval"/>.
    /// </summary>
    private DateTimeOffset NextLook(Step s, DateTimeOffset deadline)
    {
        if (s.Driver.Delivery == DriverDelivery.Push)
        {
            return s.Now + options.Value.RecheckInterval;
        }
        var quiet = s.Now + options.Value.QuietRecheckInterval;
        // Just past the deadline, so the look that fails a silent device is not one re-check late.
        var justPast = deadline + TimeSpan.FromMilliseconds(1);
        return justPast > s.Now && justPast < quiet ? justPast : quiet;
    }

    /// <summary>The device's last word on the action said it had begun installing.</summary>
    private static bool SaidItWasInstalling(Step s, IReadOnlyList<TimelineEntry> observations) =>
        observations.Where(o => o.Kind == TimelineEntryKind.Feedback).Select(o => s.Driver.Interpret(o)).LastOrDefault(signal => signal is not null) is { } last
        && last.Details.Any(d => d.Contains("Installing", StringComparison.OrdinalIgnoreCase));

    /// <summary>The job's feedback and transfer entries, oldest first: what the device said or did about the action.</summary>
    private async Task<IReadOnlyList<TimelineEntry>> ObservationsAsync(long jobId, CancellationToken ct) =>
        await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.JobId == jobId && (t.Kind == TimelineEntryKind.Feedback || t.Kind == TimelineEntryKind.Transfer))
            .OrderBy(t => t.Id)
            .ToListAsync(ct);

    private DriverContext Context(Step s, IReadOnlyList<TimelineEntry> observations, int attempt, Action onObserved) =>
        new(s.Device, s.Job, s.Package, observations, attempt, s.Now,
            t => blobs.OpenReadAsync(s.Package, t),
            async (o, t) =>
            {
                await sink.RecordAsync(o, t);
                onObserved();
            },
            async (r, t) =>
            {
                await readings.RecordAsync(s.Device.Id, s.Job.Id, r, t);
                onObserved();
            });

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset? b, DateTimeOffset c)
    {
        var latest = a > c ? a : c;
        return b is { } v && v > latest ? v : latest;
    }
}
