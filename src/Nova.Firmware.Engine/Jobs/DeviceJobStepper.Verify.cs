using Microsoft.EntityFrameworkCore;
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
                await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Failed, result.Reason, s.Now, FailureCause.BootFailure), ct);
                return;
            case VerificationOutcome.Waiting:
                if (s.Now - Latest(s.Job.StepStartedAt, null, startup.StartedAt) > s.Deadlines.Health)
                {
                    var seenSince = s.Device.Health.LastSeenAt is { } seen && seen >= s.Job.StepStartedAt;
                    var diagnosis = await DiagnoseAsync(s, neverReturned: !seenSince, fellBack: false, ct);
                    var cause = diagnosis.Cause == FailureCause.Unknown && seenSince ? FailureCause.BootFailure : diagnosis.Cause;
                    await MoveAsync(s.Job, s.Owner, new JobTransition(DeviceJobStatus.Failed,
                        $"Not verified within {s.Deadlines.Health}: {result.Reason} {diagnosis.Summary}", s.Now, cause), ct);
                    return;
                }
                await store.ReleaseAsync(s.Job.Id, s.Owner, s.Now + options.Value.RecheckInterval, ct);
                return;
            default:
                throw new InvalidOperationException($"Unknown verification outcome {result.Outcome}.");
        }
    }

    /// <param name="observations">The job's observations when the caller has just read them; read here otherwise.</param>
    /// <param name="extra">Words that came back from a command rather than as an observation.</param>
    private async Task<Diagnosis> DiagnoseAsync(Step s, bool neverReturned, bool fellBack, CancellationToken ct,
        IReadOnlyList<TimelineEntry>? observations = null, IReadOnlyList<string>? extra = null)
    {
        observations ??= await ObservationsAsync(s.Job.Id, ct);
        var details = observations.SelectMany(f => s.Driver.Interpret(f)?.Details ?? []).Concat(extra ?? []).ToList();
        var resetAfter = s.Report is { } r && r.ReportedAt >= s.Job.StepStartedAt ? r.ResetReason : null;
        return FailureClassifier.Classify(new FailureContext(details, resetAfter, neverReturned, fellBack));
    }
}
