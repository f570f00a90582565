using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Packages;

/// <summary>The part of a device's identity a package failed to match.</summary>
public enum CompatibilityField
{
    [WireName("vendor")] Vendor = 0,
    [WireName("model")] Model = 1,
    [WireName("hardware-revision")] HardwareRevision = 2,
    [WireName("soc")] Soc = 3,
}
