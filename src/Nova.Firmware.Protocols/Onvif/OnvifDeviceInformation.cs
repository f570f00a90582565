namespace Nova.Firmware.Protocols.Onvif;

/// <summary>
/// GetDeviceInformation's answer. Manufacturer, Model and FirmwareVersion must be present; a
/// missing SerialNumber or HardwareId (seen on some cameras) is null rather than an error.
/// </summary>
public sealed record OnvifDeviceInformation(string Manufacturer, string Model, string FirmwareVersion, string? SerialNumber, string? HardwareId);
