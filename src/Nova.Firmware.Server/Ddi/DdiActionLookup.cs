using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Recovery;
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
    public bool WantsConfigData => ReportedAt is null || ((Status == DeviceJobStatus.Verifying || Recovering) && ReportedAt < StepStartedAt);

    /// <summary>No job, but a recovery run looks at the device: StepStartedAt is the run's rung start.</summary>
    public bool Recovering { get; init; }
}

/// <summary>
/// The poll state of every device, kept as one snapshot of the fleet's open actions that is
/// re-read with a single query at most every <see cref="DdiOptions.ActionCacheTime"/>. Devices
/// without a job (nearly all of a fleet, nearly all of the time) then cost no query at all, however
/// seldom each one polls. A change made on this replica (feedback, configData) refreshes at once;
/// one made elsewhere is seen within the cache time.
/// </summary>
public sealed class DdiActionLookup(IServiceScopeFactory scopes, IOptions<DdiOptions> options, TimeProvider time)
{
    private sealed record Snapshot(DateTimeOffset TakenAt, IReadOnlyDictionary<Guid, DdiPollState> Open);

    /// <summary>
    /// How long "this device never sent attributes" is trusted before the database is asked again. A
    /// device that reported to another replica meanwhile is only asked for its attributes once more.
    /// </summary>
    public static readonly TimeSpan UnreportedRecheck = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly ConcurrentDictionary<Guid, byte> _reported = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _unreportedSince = new();
    private volatile Snapshot? _snapshot;
    private volatile bool _stale;

    public async Task<DdiPollState> GetAsync(Guid deviceId, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        if (snapshot.Open.TryGetValue(deviceId, out var open))
        {
            return open;
        }
        // No open action: the only question left is whether the device ever sent attributes, which
        // is asked once per device and remembered; a "no" is remembered too, for a while, so a
        // device that never answers the configData link does not cost a query on every poll.
        var reported = _reported.ContainsKey(deviceId)
            || (!(_unreportedSince.TryGetValue(deviceId, out var since) && time.GetUtcNow() - since < UnreportedRecheck)
                && await HasReportAsync(deviceId, ct));
        return new DdiPollState(null, null, false, false, null, reported ? DateTimeOffset.MinValue : null);
    }

    /// <summary>Something about this device's action or report changed here: re-read before the next answer.</summary>
    public void Forget(Guid deviceId) => _stale = true;

    /// <summary>The device sent attributes (configData on this replica).</summary>
    public void Reported(Guid deviceId)
    {
        _reported[deviceId] = 0;
        _unreportedSince.TryRemove(deviceId, out _);
        _stale = true;
    }

    private async Task<bool> HasReportAsync(Guid deviceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var reported = await db.Set<DeviceReport>().AsNoTracking().AnyAsync(r => r.DeviceId == deviceId, ct);
        if (reported)
        {
            _reported[deviceId] = 0;
        }
        else
        {
            _unreportedSince[deviceId] = time.GetUtcNow();
        }
        return reported;
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var current = _snapshot;
        if (current is not null && !_stale && time.GetUtcNow() - current.TakenAt < options.Value.ActionCacheTime)
        {
            return current;
        }
        await _refresh.WaitAsync(ct);
        try
        {
            current = _snapshot;
            if (current is not null && !_stale && time.GetUtcNow() - current.TakenAt < options.Value.ActionCacheTime)
            {
                return current; // another poll refreshed it while we waited
            }
            _stale = false;
            var takenAt = time.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            var rows = await db.Set<DeviceJob>().AsNoTracking()
                .Where(j => j.ActiveDeviceId != null)
                .GroupJoin(db.Set<DeviceReport>(), j => j.DeviceId, r => r.DeviceId, (j, reports) => new { j, reports })
                .SelectMany(x => x.reports.DefaultIfEmpty(), (x, r) => new
                {
                    x.j.DeviceId, x.j.Id, x.j.Status, x.j.ActionClosed, x.j.CancelRequested, x.j.StepStartedAt,
                    ReportedAt = r == null ? (DateTimeOffset?)null : r.ReportedAt,
                })
                .ToListAsync(ct);
            var open = rows.ToDictionary(r => r.DeviceId, r => new DdiPollState(r.Id, r.Status, r.ActionClosed, r.CancelRequested, r.StepStartedAt, r.ReportedAt));
            // A device in a recovery run without a job of its own is asked for its attributes until
            // it sends them after the rung started: the ladder judges it by its version and boot mode.
            var recovering = await db.Set<RecoveryRun>().AsNoTracking()
                .Where(r => r.ActiveDeviceId != null)
                .GroupJoin(db.Set<DeviceReport>(), r => r.DeviceId, rep => rep.DeviceId, (r, reports) => new { r, reports })
                .SelectMany(x => x.reports.DefaultIfEmpty(), (x, rep) => new { x.r.DeviceId, x.r.RungStartedAt, ReportedAt = rep == null ? (DateTimeOffset?)null : rep.ReportedAt })
                .ToListAsync(ct);
            foreach (var r in recovering.Where(r => !open.ContainsKey(r.DeviceId)))
            {
                open[r.DeviceId] = new DdiPollState(null, null, false, false, r.RungStartedAt, r.ReportedAt) { Recovering = true };
            }
            current = new Snapshot(takenAt, open);
            _snapshot = current;
            return current;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
