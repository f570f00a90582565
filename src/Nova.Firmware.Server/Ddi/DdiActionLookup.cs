using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Ddi;

/// <summary>What a poll needs to know of a device's active job.</summary>
public sealed record DdiOpenAction(long JobId, DeviceJobStatus Status, bool ActionClosed, bool CancelRequested)
{
    /// <summary>Serve the deployment while the device has not closed it; never again afterwards (it would re-install).</summary>
    public bool ServeDeployment => !ActionClosed && Status is DeviceJobStatus.Transferring or DeviceJobStatus.Flashing or DeviceJobStatus.Rebooting;

    /// <summary>Ask for fresh attributes while verifying: the version the device runs after its reboot.</summary>
    public bool WantsConfigData => Status == DeviceJobStatus.Verifying;
}

/// <summary>The active job per device, cached for a second so polls stay cheap.</summary>
public sealed class DdiActionLookup(FirmwareDbContext db, IMemoryCache cache, IOptions<DdiOptions> options)
{
    public async Task<DdiOpenAction?> GetAsync(Guid deviceId, CancellationToken ct)
    {
        if (cache.TryGetValue(("ddi-action", deviceId), out DdiOpenAction? cached))
        {
            return cached;
        }
        var action = await db.Set<DeviceJob>().AsNoTracking().Where(j => j.ActiveDeviceId == deviceId)
            .Select(j => new DdiOpenAction(j.Id, j.Status, j.ActionClosed, j.CancelRequested)).SingleOrDefaultAsync(ct);
        cache.Set(("ddi-action", deviceId), action, options.Value.ActionCacheTime);
        return action;
    }

    public void Forget(Guid deviceId) => cache.Remove(("ddi-action", deviceId));
}
