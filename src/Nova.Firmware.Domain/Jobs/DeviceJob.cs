using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Preflight;

namespace Nova.Firmware.Domain.Jobs;

/// <summary>
/// One device moving to one package. Persisted with its status and when the engine should look at
/// it next; engine loops claim it with a lease and change its status by compare-and-set.
/// </summary>
public sealed class DeviceJob : ILeasedWork
{
    /// <summary>Also the DDI action id the device sees.</summary>
    public long Id { get; set; }
    public Guid DeviceId { get; set; }
    public Guid PackageId { get; set; }
    public DeviceJobStatus Status { get; set; }
    /// <summary>Set while the job is not terminal; a unique index makes "one active job per device" a database fact.</summary>
    public Guid? ActiveDeviceId { get; set; }
    public FailureCause? Cause { get; set; }
    public PreflightCheck? BlockingCheck { get; set; }
    /// <summary>A readable sentence on the latest status: the blocking reason, the failure evidence.</summary>
    public string? StatusReason { get; set; }
    public string TargetVersion { get; set; } = "";
    public string? PreviousVersion { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the current step started; its deadline is counted from here.</summary>
    public DateTimeOffset StepStartedAt { get; set; }
    public DateTimeOffset NextActionAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public bool CancelRequested { get; set; }
    /// <summary>Pull devices: when the device first fetched the action (after this, cancelling needs its consent).</summary>
    public DateTimeOffset? ActionServedAt { get; set; }
    /// <summary>Pull devices: the device said the action is over (closed or canceled); it must never be served again.</summary>
    public bool ActionClosed { get; set; }
    /// <summary>The article's "pre-flash log": the device's log, identity and slot state captured before anything is written.</summary>
    public string? PreFlashSnapshot { get; set; }
    /// <summary>Set when a recovery run started this job (a retry, a re-attempt): its end wakes the run instead of starting another.</summary>
    public long? RecoveryRunId { get; set; }
    /// <summary>Set when a rollout started this job: its end is taken in by the rollout in the same transaction.</summary>
    public long? RolloutId { get; set; }
    /// <summary>The classifier's confidence in <see cref="Cause"/>, in [0, 1].</summary>
    public double? CauseConfidence { get; set; }
    /// <summary>The lines that decided <see cref="Cause"/>.</summary>
    public List<string>? CauseEvidence { get; set; }

    /// <summary>A new job, queued now, taking <paramref name="device"/> from the version it runs to <paramref name="targetVersion"/>.</summary>
    public static DeviceJob Queue(Device device, Guid packageId, string targetVersion, string createdBy, DateTimeOffset now) => new()
    {
        DeviceId = device.Id,
        PackageId = packageId,
        Status = DeviceJobStatus.Queued,
        ActiveDeviceId = device.Id,
        TargetVersion = targetVersion,
        PreviousVersion = device.Firmware.ActiveVersion,
        CreatedBy = createdBy,
        CreatedAt = now,
        UpdatedAt = now,
        StepStartedAt = now,
        NextActionAt = now,
    };
}
