using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Server.Endpoints.Management.Devices;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>
/// A discovered camera as an inventory device: what the camera said about itself, with the
/// operator's values winning where given. Goes through <see cref="DeviceMapping"/>, so a camera is
/// accepted on the same terms as one created by hand or by CSV.
/// </summary>
internal static class DiscoveredDeviceMapping
{
    public static (Device Device, IReadOnlyList<FieldError> Errors) ToDevice(ImportCandidate camera, OnvifDeviceInformation info, DateTimeOffset now)
    {
        var item = camera.Item;
        var serial = Given(item.Serial) ?? Given(info.SerialNumber);
        if (serial is null)
        {
            return (DeviceMapping.NewDevice(), [new FieldError("serial", "The camera reports no SerialNumber; give \"serial\" for it.")]);
        }
        var (revision, soc) = HardwareIdentity.Parse(info.HardwareId);
        var request = new DeviceRequest(
            Vendor: Given(item.Vendor) ?? info.Manufacturer,
            Model: Given(item.Model) ?? info.Model,
            HardwareRevision: Given(item.HardwareRevision) ?? revision,
            Soc: Given(item.Soc) ?? soc,
            Serial: serial,
            Kind: DeviceKind.Camera.ToWire(),
            Protocol: DeviceProtocol.Onvif.ToWire(),
            // The serial, as for any device created without one: stable across addresses and resets.
            ControllerId: Given(item.ControllerId) ?? serial,
            Name: item.Name,
            Site: camera.Site,
            Tags: camera.Tags,
            Address: camera.XAddr.AbsoluteUri,
            Firmware: new FirmwareWire(Given(info.FirmwareVersion), null),
            // It answered just now: heard from, in its normal mode as far as ONVIF can tell.
            Health: new HealthRequestWire(DeviceHealthRule.FromBootMode(null).ToWire(), now));
        var device = DeviceMapping.NewDevice();
        var errors = DeviceMapping.Apply(request, device);
        return (device, errors);
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
