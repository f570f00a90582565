using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Recovery;

/// <summary>
/// Where a recovery run stands on the ladder. Stored as the wire name; the names are fixed forever.
/// The ladder's order follows the seed article: clean up and retry, wait for the boot-loop retry,
/// boot the recovery partition, re-flash the stock image over TFTP, then a technician, then RMA.
/// </summary>
public enum RecoveryRung
{
    /// <summary>The first rung: look at the device now, diagnose again with all that is known, check the catalog's copy.</summary>
    [WireName("diagnosing")] Diagnosing = 12,
    /// <summary>Asking the device to free space (logs, old backups, snapshots), then measuring again.</summary>
    [WireName("cleaning-up")] CleaningUp = 0,
    /// <summary>A fresh device job for the package runs (never resuming the bad copy); the run waits for it to end.</summary>
    [WireName("retrying")] Retrying = 1,
    /// <summary>Power-loss: the device may retry from its staged image after a boot loop; give it time.</summary>
    [WireName("waiting-for-self-recovery")] WaitingForSelfRecovery = 2,
    /// <summary>Telling the device to boot its recovery partition, where it can be told to.</summary>
    [WireName("booting-recovery")] BootingRecovery = 3,
    /// <summary>The device in recovery pulls the stock image from the product's TFTP server and writes it.</summary>
    [WireName("reflashing")] Reflashing = 4,
    /// <summary>The device is back: normal boot, a known version, healthy within the health deadline.</summary>
    [WireName("verifying")] Verifying = 5,
    /// <summary>The package does not fit the device; a matching one is proposed and needs an operator's approval.</summary>
    [WireName("awaiting-approval")] AwaitingApproval = 6,
    /// <summary>Automation ran out: a technician task with the model's steps is open.</summary>
    [WireName("awaiting-technician")] AwaitingTechnician = 7,
    /// <summary>The device is back to normal (on the intended version, or on the version the run settled for).</summary>
    [WireName("recovered")] Recovered = 8,
    /// <summary>The run cannot go on by itself and nothing more is safe to try (the reason says which check and why).</summary>
    [WireName("blocked")] Blocked = 9,
    /// <summary>Even the technician could not bring the device back: the RMA bundle is what is left.</summary>
    [WireName("rma")] Rma = 10,
    /// <summary>An operator closed the run.</summary>
    [WireName("closed")] Closed = 11,
}
