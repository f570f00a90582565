using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Devices;

public enum DeviceKind
{
    [WireName("camera")] Camera = 0,
    [WireName("nvr")] Nvr = 1,
    [WireName("gateway")] Gateway = 2,
}
