using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;

namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// One device of a rollout: its wave, the package that fits it, its current job and how its jobs
/// ended. The job's own row holds the detail; this holds what the rollout decides with.
/// </summary>
public sealed class RolloutDevice
{
    /// <summary>Wave of devices that no package of the rollout fits: never started, shown as blocked.</summary>
    public const int Unplanned = -1;

    public long Id { get; set; }
    public long RolloutId { get; set; }
    public Guid DeviceId { get; set; }
    /// <summary>The rollout's package that fits this device; null when none does.</summary>
    public Guid? PackageId { get; set; }
    public int Wave { get; set; }
    public RolloutDeviceState State { get; set; }
    /// <summary>The latest device job started for it.</summary>
    public long? JobId { get; set; }
    /// <summary>Device jobs started for it so far.</summary>
    public int Attempts { get; set; }
    /// <summary>When a failed or blocked device may be tried again; null when it will not be.</summary>
    public DateTimeOffset? RetryAt { get; set; }
    public FailureCause? Cause { get; set; }
    public PreflightCheck? BlockingCheck { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether the dispatcher may start a job for it now (its wave being open).</summary>
    public bool IsDue(DateTimeOffset now) => State switch
    {
        RolloutDeviceState.Pending => RetryAt is null || RetryAt <= now,
        RolloutDeviceState.Failed or RolloutDeviceState.Blocked => RetryAt is { } at && at <= now,
        RolloutDeviceState.Active or RolloutDeviceState.Succeeded or RolloutDeviceState.Cancelled or RolloutDeviceState.Skipped => false,
        _ => throw new ArgumentOutOfRangeException(nameof(State), State, "Unknown rollout device state."),
    };

    /// <summary>Takes in how its job ended, and whether (and when) to try again.</summary>
    public void Finish(DeviceJobStatus status, FailureCause? cause, PreflightCheck? blockingCheck, string? reason, RetryPolicy retry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(retry);
        State = status switch
        {
            DeviceJobStatus.Succeeded => RolloutDeviceState.Succeeded,
            DeviceJobStatus.Failed => RolloutDeviceState.Failed,
            DeviceJobStatus.Blocked => RolloutDeviceState.Blocked,
            DeviceJobStatus.Cancelled => RolloutDeviceState.Cancelled,
            DeviceJobStatus.Queued or DeviceJobStatus.Preflight or DeviceJobStatus.Waiting or DeviceJobStatus.CleaningUp or DeviceJobStatus.Transferring
                or DeviceJobStatus.Flashing or DeviceJobStatus.Rebooting or DeviceJobStatus.Verifying => throw new InvalidOperationException($"The device job of rollout device {Id} has not ended ({status})."),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown device job status."),
        };
        Cause = cause;
        BlockingCheck = blockingCheck;
        Reason = reason;
        RetryAt = State is RolloutDeviceState.Failed or RolloutDeviceState.Blocked
            ? retry.NextAttemptAt(Attempts, cause, blockingCheck, State == RolloutDeviceState.Blocked, now)
            : null;
        UpdatedAt = now;
    }
}
