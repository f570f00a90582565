using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Credentials;

/// <summary>
/// The drivers' view of stored credentials: the device's own, else its site's, decrypted. A
/// singleton (drivers are singletons) that opens its own database scope per look-up.
/// </summary>
public sealed partial class CameraCredentialStore(IServiceScopeFactory scopes, CredentialProtector protector, ILogger<CameraCredentialStore> log)
    : IDeviceCredentialStore
{
    public async Task<DeviceCredentials?> FindAsync(Device device, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var stored = await Effective(db.Set<StoredCredentials>().AsNoTracking(), device.Id, device.Site)
            .FirstOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            return null;
        }
        try
        {
            return new DeviceCredentials(stored.Username, protector.Unprotect(stored));
        }
        catch (DeviceCredentialsUnreadableException)
        {
            LogUnreadable(log, device.Id, stored.Scope.ToWire());
            throw;
        }
    }

    /// <summary>The credentials that apply to a device: its own first, then its site's.</summary>
    public static IQueryable<StoredCredentials> Effective(IQueryable<StoredCredentials> all, Guid deviceId, string? site) =>
        all.Where(c => c.DeviceId == deviceId || (site != null && c.Site == site))
            // Device rows have a DeviceId, site rows do not: device first.
            .OrderBy(c => c.DeviceId == null ? 1 : 0);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Stored {Scope} credentials of device {DeviceId} cannot be decrypted with this server's key ring")]
    private static partial void LogUnreadable(ILogger logger, Guid deviceId, string scope);
}
