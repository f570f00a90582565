using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Engine.Drivers;

/// <summary>
/// The drivers that registered themselves, picked by protocol. The engine knows only the
/// interface: adding a protocol is one registration call, not an engine change.
/// </summary>
public sealed class DeviceDrivers
{
    private readonly Dictionary<DeviceProtocol, IDeviceDriver> _byProtocol = [];

    public DeviceDrivers(IEnumerable<IDeviceDriver> drivers)
    {
        foreach (var driver in drivers)
        {
            if (!_byProtocol.TryAdd(driver.Protocol, driver))
            {
                throw new InvalidOperationException(
                    $"Two drivers registered for protocol {driver.Protocol}: {_byProtocol[driver.Protocol].GetType().Name} and {driver.GetType().Name}.");
            }
        }
    }

    public IDeviceDriver? Find(DeviceProtocol protocol) => _byProtocol.GetValueOrDefault(protocol);

    /// <summary>Why a device job for this device could never run here, or null when it can.</summary>
    public string? CannotFlash(Device device) => Find(device.Protocol) is { } driver
        ? driver.CannotFlash(device)
        : $"No driver for protocol '{device.Protocol.ToWire()}' is installed; registered: {string.Join(", ", _byProtocol.Keys.Select(p => p.ToWire()))}.";
}
