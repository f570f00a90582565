using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Domain.Packages;

/// <summary>What a device reports about its hardware: all a compatibility check looks at.</summary>
public sealed record DeviceIdentity(string Vendor, string Model, string HardwareRevision, string Soc)
{
    public static DeviceIdentity Of(Device device) => new(device.Vendor, device.Model, device.HardwareRevision, device.Soc);

    public override string ToString() => $"{Vendor} {Model} rev {HardwareRevision} ({Soc})";
}
