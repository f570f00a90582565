using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Credentials;

/// <summary>Sets (insert or replace) and removes the one credentials row of a device or a site.</summary>
public static class CredentialWriter
{
    public static IQueryable<StoredCredentials> OfScope(this IQueryable<StoredCredentials> all, Guid? deviceId, string? site) =>
        deviceId is { } id ? all.Where(c => c.DeviceId == id) : all.Where(c => c.Site == site);

    /// <summary>Exactly one of <paramref name="deviceId"/> and <paramref name="site"/> is set; the caller has validated the values.</summary>
    public static async Task<StoredCredentials> SaveAsync(FirmwareDbContext db, CredentialProtector protector, Guid? deviceId, string? site,
        string username, string password, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await db.Set<StoredCredentials>().OfScope(deviceId, site).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                row = new StoredCredentials
                {
                    Id = Guid.CreateVersion7(now), DeviceId = deviceId, Site = site,
                    Username = username, ProtectedPassword = "", UpdatedBy = actor,
                };
                db.Add(row);
            }
            row.Username = username;
            row.ProtectedPassword = protector.Protect(deviceId, site, password);
            row.UpdatedAt = now;
            row.UpdatedBy = actor;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return row;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                // Another request inserted the same scope between our read and our insert (unique
                // index): read its row and replace it instead.
                db.ChangeTracker.Clear();
            }
        }
    }

    public static async Task<bool> DeleteAsync(FirmwareDbContext db, Guid? deviceId, string? site, CancellationToken cancellationToken) =>
        await db.Set<StoredCredentials>().OfScope(deviceId, site).ExecuteDeleteAsync(cancellationToken) > 0;
}
