using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Packages;

public enum PackageKind
{
    /// <summary>A normal firmware update.</summary>
    [WireName("update")] Update = 0,
    /// <summary>The vendor's factory image, used by recovery (TFTP re-flash).</summary>
    [WireName("stock")] Stock = 1,
    /// <summary>A bootable SD-card recovery image for the technician's last resort.</summary>
    [WireName("sd-recovery")] SdRecovery = 2,
}
