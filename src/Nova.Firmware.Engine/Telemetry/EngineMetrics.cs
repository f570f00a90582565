using System.Diagnostics;
using System.Diagnostics.Metrics;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;
using A = Nova.Firmware.Engine.Telemetry.NovaTelemetry.Attributes;

namespace Nova.Firmware.Engine.Telemetry;

/// <summary>
/// What the engine counts: device job transitions (by the status entered, with the failure cause or
/// blocking check), how long each step took, pre-flight outcomes by check, recovery-ladder moves and
/// lease take-overs between replicas. Recorded after the write committed, so a counted transition
/// is one that happened. Attribute values are the stored wire names: a fixed, small set.
/// </summary>
public sealed class EngineMetrics
{
    /// <summary>Steps take from milliseconds (a pre-flight) to an hour (a slow camera upload).</summary>
    private static readonly double[] StepBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

    private readonly Counter<long> _jobTransitions;
    private readonly Histogram<double> _stepDuration;
    private readonly Counter<long> _preflightChecks;
    private readonly Counter<long> _recoveryTransitions;
    private readonly Counter<long> _leaseTakeovers;

    public EngineMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NovaTelemetry.Name);
        _jobTransitions = meter.CreateCounter<long>("nova.device_job.transitions", "{transition}",
            "Device job status changes, by the status entered; failures carry their cause (error.type), blocks their check.");
        _stepDuration = meter.CreateHistogram("nova.device_job.step.duration", "s",
            "How long a device job stayed in a status (its step) before moving on.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StepBuckets });
        _preflightChecks = meter.CreateCounter<long>("nova.preflight.checks", "{check}",
            "Pre-flight check results of device jobs, by check and outcome (pass, block, unknown, wait).");
        _recoveryTransitions = meter.CreateCounter<long>("nova.recovery.transitions", "{transition}",
            "Recovery-ladder moves, by the rung entered; recovered, needs a technician, rma, blocked and closed are outcomes.");
        _leaseTakeovers = meter.CreateCounter<long>("nova.lease.takeovers", "{lease}",
            "Work claimed from another replica whose lease had expired (it crashed, stopped or stalled).");
    }

    public void JobMoved(DeviceJob job, DeviceJobStatus from, DeviceJobStatus to, FailureCause? cause, PreflightCheck? blockingCheck, DateTimeOffset now)
    {
        var tags = new TagList { { A.JobStatus, to.ToWire() } };
        if (to == DeviceJobStatus.Failed)
        {
            tags.Add(A.ErrorType, (cause ?? job.Cause ?? FailureCause.Unknown).ToWire());
        }
        else if (to == DeviceJobStatus.Blocked && (blockingCheck ?? job.BlockingCheck) is { } check)
        {
            tags.Add(A.PreflightCheck, check.ToWire());
        }
        _jobTransitions.Add(1, tags);
        if (_stepDuration.Enabled)
        {
            var seconds = Math.Max(0, (now - job.StepStartedAt).TotalSeconds);
            _stepDuration.Record(seconds, new TagList { { A.JobStep, from.ToWire() }, { A.JobStatus, to.ToWire() } });
        }
    }

    public void PreflightEvaluated(PreflightVerdict verdict)
    {
        if (!_preflightChecks.Enabled)
        {
            return;
        }
        foreach (var result in verdict.Results)
        {
            _preflightChecks.Add(1, new TagList { { A.PreflightCheck, result.Check.ToWire() }, { A.PreflightOutcome, result.Outcome.ToWire() } });
        }
    }

    public void RecoveryMoved(RecoveryRung to, FailureCause cause) =>
        _recoveryTransitions.Add(1, new TagList { { A.RecoveryRung, to.ToWire() }, { A.ErrorType, cause.ToWire() } });

    /// <summary>Leases of <typeparamref name="T"/> (device-job, recovery-run, rollout) taken from another replica.</summary>
    public void LeaseTakenOver<T>(int count)
    {
        if (count > 0)
        {
            _leaseTakeovers.Add(count, new TagList { { A.LeaseKind, LeaseKind<T>.Name } });
        }
    }

    /// <summary>The kind of leased work as an attribute value: the entity's name in kebab case (DeviceJob → device-job).</summary>
    private static class LeaseKind<T>
    {
        public static readonly string Name = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(typeof(T).Name);
    }
}
