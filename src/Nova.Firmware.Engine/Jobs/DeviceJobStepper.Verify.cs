using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>Verifying: the article's "normal boot, intended version, healthy within 2 minutes", and diagnosis when it fails.</summary>
public sealed partial class DeviceJobStepper
{
    private async Task VerifyAsync(Step s, CancellationToken ct)
    {
        // A device that can be asked is asked now; a pull device's next report decides.
        if ((await ReadPresentStateAsync(s, ct)).Outcome == DeviceContactOutcome.Answered)
        {
            s = await LoadAsync(s.Job, s.Driver, s.Owner, ct);
        }
        var result = Verification.Check(s.Device, s.Report, s.Job.TargetVersion, s.Job.PreviousVersion, s.Job.StepStartedAt);
        switch (result.Outcome)
        {
            case VerificationOutcome.Verified:
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Succeeded, result.Reason, s.Now), ct);
                return;
            case VerificationOutcome.FellBack:
                var fellBack = await DiagnoseAsync(s, neverReturned: false, fellBack: true, ct);
                await MoveAsync(s.Job, s.Owner, Failed($"{result.Reason} {fellBack.Summary}", s.Now, fellBack), ct);
                return;
            case VerificationOutcome.Waiting:
                if (s.Now - Latest(s.Job.StepStartedAt, null, startup.StartedAt) > s.Deadlines.Health)
                {
                    // Seen since is not failed to boot: a healthy device that simply does not report its
                    // version stays unknown. The boot mode it reports (boot loop, recovery) says otherwise.
                    var seenSince = s.Device.Health.LastSeenAt is { } seen && seen >= s.Job.StepStartedAt;
                    var diagnosis = await DiagnoseAsync(s, neverReturned: !seenSince, fellBack: false, ct);
                    await MoveAsync(s.Job, s.Owner, Failed($"Not verified within {s.Deadlines.Health}: {result.Reason} {diagnosis.Summary}", s.Now, diagnosis), ct);
                    return;
                }
                await store.ReleaseAsync(s.Job.Id, s.Owner, s.Now + options.Value.RecheckInterval, s.Now, ct);
                return;
            default:
                throw new InvalidOperationException($"Unknown verification outcome {result.Outcome}.");
        }
    }

    /// <param name="observations">The job's observations when the caller has just read them; read here otherwise.</param>
    /// <param name="extra">Words that came back from a command rather than as an observation.</param>
    /// <param name="vanishedWhileWriting">The device fell silent while it was writing and never spoke again.</param>
    private async Task<Diagnosis> DiagnoseAsync(Step s, bool neverReturned, bool fellBack, CancellationToken ct,
        IReadOnlyList<TimelineEntry>? observations = null, IReadOnlyList<string>? extra = null, bool vanishedWhileWriting = false)
    {
        observations ??= await ObservationsAsync(s.Job.Id, ct);
        var details = observations.SelectMany(f => s.Driver.Interpret(f)?.Details ?? []).Concat(extra ?? []).ToList();
        var reportAfter = s.Report is { } r && r.ReportedAt >= s.Job.StepStartedAt ? r : null;
        // Power events of this step only: one reported during the transfer says nothing of the reboot.
        var power = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.JobId == s.Job.Id && t.Kind == TimelineEntryKind.Power && t.At >= s.Job.StepStartedAt).OrderBy(t => t.Id).Select(t => t.Message).ToListAsync(ct);
        return FailureClassifier.Classify(new FailureContext(details, reportAfter?.ResetReason, neverReturned, fellBack)
        {
            BootModeAfter = reportAfter?.BootMode,
            BootAttempts = reportAfter is null ? null : BootCount.Of(reportAfter),
            PowerEvents = power,
            VanishedWhileWriting = vanishedWhileWriting,
        });
    }

    /// <summary>A failure with the classifier's cause, confidence and evidence.</summary>
    private static JobTransition Failed(string reason, DateTimeOffset now, Diagnosis diagnosis, FailureCause? cause = null) =>
        new(DeviceJobStatus.Failed, reason, now, cause ?? diagnosis.Cause, CauseConfidence: diagnosis.Confidence, CauseEvidence: diagnosis.Evidence);
}
