using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Devices;

/// <summary>Whom stored credentials belong to: one device, or every device of a site.</summary>
public enum CredentialScope
{
    [WireName("device")] Device = 0,
    [WireName("site")] Site = 1,
}
