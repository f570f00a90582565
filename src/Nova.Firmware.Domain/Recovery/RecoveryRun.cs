using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Preflight;

namespace Nova.Firmware.Domain.Recovery;

/// <summary>
/// The recovery of one device after one failed device job: the diagnosis, the rung it is on, and
/// when to look at it next. Created in the same transaction that fails the job, so a failure is
/// never left without its run. Claimed with a lease and moved by compare-and-set on the rung, like
/// a device job; at most one run per device is active (a unique index on <see cref="ActiveDeviceId"/>).
/// </summary>
public sealed class RecoveryRun : ILeasedWork
{
    public long Id { get; set; }
    public Guid DeviceId { get; set; }
    /// <summary>The device job whose failure started the run (unique: a failure starts one run).</summary>
    public long FailedJobId { get; set; }
    /// <summary>The package the failed job was flashing: what a retry or re-attempt flashes again.</summary>
    public Guid PackageId { get; set; }
    public string IntendedVersion { get; set; } = "";
    public RecoveryRung Rung { get; set; }
    public Guid? ActiveDeviceId { get; set; }
    public FailureCause Cause { get; set; }
    public double Confidence { get; set; }
    /// <summary>The lines that decided the cause, in the order they were seen.</summary>
    public List<string> Evidence { get; set; } = [];
    /// <summary>A readable sentence on the latest rung: what is awaited, what was found, why it stopped.</summary>
    public string StatusReason { get; set; } = "";
    /// <summary>Set when the run ends blocked: which pre-flight check it is (space, checksum, compatibility...).</summary>
    public PreflightCheck? BlockingCheck { get; set; }
    /// <summary>insufficient-space: bytes still missing after the clean-up.</summary>
    public long? ShortfallBytes { get; set; }
    /// <summary>wrong-hardware: the catalog package that fits this device's model, revision and SoC.</summary>
    public Guid? ProposedPackageId { get; set; }
    /// <summary>The device job the run started (a retry, a re-attempt, an approved proposal) and waits for.</summary>
    public long? RetryJobId { get; set; }
    /// <summary>How many device jobs the run has started; each cause allows a fixed number (<see cref="RecoveryPlan"/>).</summary>
    public int Retries { get; set; }
    /// <summary>How many times the run told the device to boot its recovery partition (once is enough to know).</summary>
    public int RecoveryBoots { get; set; }
    /// <summary>After the device is back on another version (stock, previous), flash the intended one again.</summary>
    public bool ReattemptIntended { get; set; }
    /// <summary>The version the device ended on when the run recovered it.</summary>
    public string? RecoveredVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the current rung started; its deadline is counted from here.</summary>
    public DateTimeOffset RungStartedAt { get; set; }
    /// <summary>When the current rung gives up and the run moves on (null: the rung waits on a person).</summary>
    public DateTimeOffset? RungDeadline { get; set; }
    public DateTimeOffset NextActionAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
}
