using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Server.Credentials;

/// <summary>
/// Encrypts and decrypts stored device passwords with ASP.NET Core Data Protection. The purpose is
/// specific to camera credentials, and each row's scope (device id or site) is a sub-purpose: a
/// protected password copied onto another device's row does not decrypt there.
/// </summary>
public sealed class CredentialProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "Nova.Firmware.CameraCredentials.v1";

    public string Protect(Guid? deviceId, string? site, string password) =>
        Protector(deviceId, site).Protect(password);

    /// <exception cref="DeviceCredentialsUnreadableException">The key ring does not hold the key, or the value was tampered with.</exception>
    public string Unprotect(StoredCredentials stored)
    {
        try
        {
            return Protector(stored.DeviceId, stored.Site).Unprotect(stored.ProtectedPassword);
        }
        catch (CryptographicException e)
        {
            throw new DeviceCredentialsUnreadableException(
                $"The {Describe(stored)} credentials cannot be decrypted with this server's key ring: they were stored by a server " +
                $"with another key ring or application name. Share {KeyRingOptions.Section}:KeyRingDirectory and " +
                $"{KeyRingOptions.Section}:ApplicationName between replicas, or set the credentials again.", e);
        }
    }

    public static string Describe(StoredCredentials stored) => stored.DeviceId is { } id ? $"device {id}" : $"site '{stored.Site}'";

    private IDataProtector Protector(Guid? deviceId, string? site) =>
        provider.CreateProtector(Purpose, deviceId is { } id ? $"device:{id:D}" : $"site:{site}");
}
