using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Ddi;

/// <summary>What a poll needs to know of a device: its active job, if any, and when it last sent attributes.</summary>
public sealed record DdiPollState(long? JobId, DeviceJobStatus? Status, bool ActionClosed, bool CancelRequested, DateTimeOffset? StepStartedAt, DateTimeOffset? ReportedAt)
{
    public bool HasAction => JobId is not null;

    /// <summary>
    /// Serve the deployment until the device closes it (SWUpdate reports the result only after its
    /// reboot and takes the action id from this link); never afterwards (it would install again).
    /// </summary>
    public bool ServeDeployment => JobId is not null && !ActionClosed && Status is DeviceJobStatus.Transferring or DeviceJobStatus.Flashing or DeviceJobStatus.Rebooting;

    /// <summary>
    /// Ask for attributes when the device never sent any, and after its reboot while verifying (the
    /// version it now runs). Only until they arrive: SWUpdate answers a configData link instead of
    /// acting on a deployment in that poll cycle.
    /// </summary>
    public bool WantsConfigData => ReportedAt is null || (Status == DeviceJobStatus.Verifying && ReportedAt < StepStartedAt);
}

/// <summary>The poll state per device, cached for a second so polls stay cheap.</summary>
public sealed class DdiActionLookup(FirmwareDbContext db, IMemoryCache cache, IOptions<DdiOptions> options)
{
    public async Task<DdiPollState> GetAsync(Guid deviceId, CancellationToken ct)
    {
        if (cache.TryGetValue(("ddi-poll", deviceId), out DdiPollState? cached) && cached is not null)
        {
            return cached;
        }
        var job = await db.Set<DeviceJob>().AsNoTracking().Where(j => j.ActiveDeviceId == deviceId)
            .Select(j => new { j.Id, j.Status, j.ActionClosed, j.CancelRequested, j.StepStartedAt }).SingleOrDefaultAsync(ct);
        var reportedAt = await db.Set<DeviceReport>().AsNoTracking().Where(r => r.DeviceId == deviceId).Select(r => (DateTimeOffset?)r.ReportedAt).SingleOrDefaultAsync(ct);
        var state = new DdiPollState(job?.Id, job?.Status, job?.ActionClosed ?? false, job?.CancelRequested ?? false, job?.StepStartedAt, reportedAt);
        if (options.Value.ActionCacheTime > TimeSpan.Zero)
        {
            cache.Set(("ddi-poll", deviceId), state, options.Value.ActionCacheTime);
        }
        return state;
    }

    public void Forget(Guid deviceId) => cache.Remove(("ddi-poll", deviceId));
}
