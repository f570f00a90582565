using Nova.Firmware.Domain.Diagnosis;

namespace Nova.Firmware.Domain.Recovery;

/// <summary>What the ladder does for one cause: where it enters and how many device jobs it may start.</summary>
public sealed record RecoveryPlanEntry(FailureCause Cause, RecoveryRung Entry, int MaxRetries, string Why);

/// <summary>
/// The retry policy chosen by cause (the way a job scheduler's retry filter is chosen per job), as
/// one table. Every rung that acts on a device first looks at it: a device that is already back in
/// normal boot goes straight to verifying, whatever the entry rung.
/// </summary>
public static class RecoveryPlan
{
    public static IReadOnlyList<RecoveryPlanEntry> Entries { get; } =
    [
        new(FailureCause.InsufficientSpace, RecoveryRung.CleaningUp, 1,
            "Clear what the device offers (logs, old backups, snapshots), measure again, retry once; still short: blocked with the shortfall."),
        new(FailureCause.ChecksumMismatch, RecoveryRung.Retrying, 1,
            "Transfer again from scratch and retry once; a catalog copy that no longer matches its published hash is quarantined instead."),
        new(FailureCause.WrongHardware, RecoveryRung.AwaitingApproval, 1,
            "Never retry that package; propose the one for the device's exact model, revision and SoC, applied only on an operator's approval."),
        new(FailureCause.PowerLoss, RecoveryRung.WaitingForSelfRecovery, 1,
            "Wait for the boot-loop retry from the staged image, then the recovery partition, a TFTP re-flash of the stock image, verify, and re-attempt if the operator chose so."),
        new(FailureCause.BootFailure, RecoveryRung.BootingRecovery, 1,
            "Enter at the recovery step: a device back on its old slot is verified as it is; one that is not is booted into recovery and re-flashed over TFTP."),
        new(FailureCause.Unreachable, RecoveryRung.BootingRecovery, 1,
            "Enter at the recovery step; a device that cannot be told anything gets a technician task."),
        new(FailureCause.Unknown, RecoveryRung.BootingRecovery, 0,
            "Nothing is retried on an unknown cause: the device is looked at, recovered if it is down, and a person reads the evidence."),
    ];

    public static RecoveryPlanEntry For(FailureCause cause) =>
        Entries.SingleOrDefault(e => e.Cause == cause) ?? throw new ArgumentOutOfRangeException(nameof(cause), cause, "No recovery plan for this cause.");
}
