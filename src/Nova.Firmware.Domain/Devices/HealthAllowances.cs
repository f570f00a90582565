namespace Nova.Firmware.Domain.Devices;

/// <summary>
/// How long a device may stay silent before it counts as offline, per protocol: a pull device
/// (DDI) is heard at every poll, a push device (ONVIF) only when the server probes it.
/// </summary>
public sealed record HealthAllowances(TimeSpan Ddi, TimeSpan Onvif)
{
    public TimeSpan For(DeviceProtocol protocol) => protocol switch
    {
        DeviceProtocol.Ddi => Ddi,
        DeviceProtocol.Onvif => Onvif,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };
}
