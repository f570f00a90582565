using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>Why a flash failed: each cause has its own branch of the recovery ladder.</summary>
public enum FailureCause
{
    [WireName("insufficient-space")] InsufficientSpace = 0,
    [WireName("power-loss")] PowerLoss = 1,
    [WireName("checksum-mismatch")] ChecksumMismatch = 2,
    [WireName("wrong-hardware")] WrongHardware = 3,
    [WireName("unreachable")] Unreachable = 4,
    [WireName("boot-failure")] BootFailure = 5,
    [WireName("unknown")] Unknown = 6,
}
