using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Devices;

/// <summary>How the server talks to a device: it pulls (DDI) or we push (ONVIF).</summary>
public enum DeviceProtocol
{
    [WireName("ddi")] Ddi = 0,
    [WireName("onvif")] Onvif = 1,
}
