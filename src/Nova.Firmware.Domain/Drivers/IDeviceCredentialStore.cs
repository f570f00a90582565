using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Domain.Drivers;

/// <summary>The user name and password a push driver signs in to a device with (ONVIF WS-Security / HTTP digest).</summary>
public sealed record DeviceCredentials(string Username, string Password);

/// <summary>
/// Where a driver finds the credentials of a device. Credentials set on the device win over the
/// credentials of the device's site; null when neither is set. Stored credentials this server
/// cannot decrypt (its key ring is not the one they were protected with) raise
/// <see cref="DeviceCredentialsUnreadableException"/> rather than falling back to the site's.
/// </summary>
public interface IDeviceCredentialStore
{
    Task<DeviceCredentials?> FindAsync(Device device, CancellationToken cancellationToken);
}
