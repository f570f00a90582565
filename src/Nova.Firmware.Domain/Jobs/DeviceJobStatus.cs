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
}
