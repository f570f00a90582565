using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Packages;

public enum PackageFormat
{
    /// <summary>An opaque vendor image.</summary>
    [WireName("raw")] Raw = 0,
    /// <summary>An SWUpdate bundle (cpio with sw-description), parsed and verified on import.</summary>
    [WireName("swu")] Swu = 1,
}
