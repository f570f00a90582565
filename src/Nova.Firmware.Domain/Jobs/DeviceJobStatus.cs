using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Jobs;

/// <summary>Where a device job stands. Stored as the wire name; the names are fixed forever.</summary>
public enum DeviceJobStatus
{
    [WireName("queued")] Queued = 0,
    [WireName("preflight")] Preflight = 1,
    [WireName("cleaning-up")] CleaningUp = 2,
    [WireName("transferring")] Transferring = 3,
    [WireName("flashing")] Flashing = 4,
    [WireName("rebooting")] Rebooting = 5,
    [WireName("verifying")] Verifying = 6,
    [WireName("succeeded")] Succeeded = 7,
    [WireName("failed")] Failed = 8,
    [WireName("blocked")] Blocked = 9,
    [WireName("cancelled")] Cancelled = 10,
    /// <summary>
    /// A pre-flight condition that should pass by itself (never contacted yet, a recent power event
    /// on its feed, no answer) holds the job back; the reason and the re-check time say which and when.
    /// </summary>
    [WireName("waiting")] Waiting = 11,
}
