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
/// The poll state of every device, kept in memory so that a poll costs no query: one snapshot of
/// the fleet's open actions, re-read with a single query at most every
/// <see cref="DdiOptions.ActionCacheTime"/>, and the set of devices that ever sent attributes, read
/// whole once and then brought up to date every <see cref="ReportRefresh"/> with the reports that
/// arrived since. A change made on this replica (feedback, configData) is seen at once: the next poll
/// waits for a fresh snapshot. A change made elsewhere is seen within the cache time: no poll is
/// answered from an older snapshot. While polls arrive the snapshot is re-read ahead of them, so
/// that they do not wait for the read.
/// </summary>
public sealed partial class DdiActionLookup(
    IServiceScopeFactory scopes, IOptions<DdiOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<DdiActionLookup> log)
{
    private sealed record Snapshot(DateTimeOffset TakenAt, IReadOnlyDictionary<Guid, DdiPollState> Open);

    /// <summary>
    /// How often the reports that arrived since the last read are added to the reported set. A device
    /// that reported to another replica meanwhile is asked for its attributes at most this long more.
    /// </summary>
    public static readonly TimeSpan ReportRefresh = TimeSpan.FromSeconds(30);

    /// <summary>How often the reported set is read whole (a deleted report then stops counting).</summary>
    public static readonly TimeSpan ReportReload = TimeSpan.FromMinutes(10);

    /// <summary>Reports are read back from this long before the last read began: replicas' clocks and commits differ a little.</summary>
    private static readonly TimeSpan ReportOverlap = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile ConcurrentDictionary<Guid, byte> _reported = new();
    private DateTimeOffset? _reportsReadAt;
    private DateTimeOffset _reportsReloadedAt;
    private volatile Snapshot? _snapshot;
    private volatile bool _stale;
    private long _lastPollTicks;
    private int _refreshingAhead;

    /// <summary>How long after the last poll the snapshot is still kept fresh ahead of the polls.</summary>
    private static readonly TimeSpan KeepFreshAfterPoll = TimeSpan.FromSeconds(10);

    public async Task<DdiPollState> GetAsync(Guid deviceId, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        if (snapshot.Open.TryGetValue(deviceId, out var open))
        {
            return open;
        }
        // No open action: the only question left is whether the device ever sent attributes.
        var reported = _reported.ContainsKey(deviceId);
        return new DdiPollState(null, null, false, false, null, reported ? DateTimeOffset.MinValue : null);
    }

    /// <summary>Something about this device's action or report changed here: re-read before the next answer.</summary>
    public void Forget(Guid deviceId) => _stale = true;

    /// <summary>The device sent attributes (configData on this replica).</summary>
    public void Reported(Guid deviceId)
    {
        _reported[deviceId] = 0;
        _stale = true;
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cacheTime = options.Value.ActionCacheTime;
        Volatile.Write(ref _lastPollTicks, now.UtcTicks);
        if (cacheTime > TimeSpan.Zero && Interlocked.CompareExchange(ref _refreshingAhead, 1, 0) == 0)
        {
            _ = Task.Run(RefreshAheadAsync, CancellationToken.None);
        }
        var current = _snapshot;
        if (current is not null && !_stale && now - current.TakenAt < cacheTime)
        {
            return current;
        }
        await _refresh.WaitAsync(ct);
        try
        {
            current = _snapshot;
            if (current is not null && !_stale && time.GetUtcNow() - current.TakenAt < cacheTime)
            {
                return current; // another poll refreshed it while we waited
            }
            return await ReadAsync(ct);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// While polls arrive, re-reads the snapshot every half cache time, so that under load no poll
    /// finds it expired and waits for the read (the cause of the slowest polls); stops after
    /// <see cref="KeepFreshAfterPoll"/> without a poll. An idle server asks nothing; its first poll
    /// reads the snapshot itself.
    /// </summary>
    private async Task RefreshAheadAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            while (time.GetUtcNow().UtcTicks - Volatile.Read(ref _lastPollTicks) < KeepFreshAfterPoll.Ticks)
            {
                var cacheTime = options.Value.ActionCacheTime;
                await Task.Delay(cacheTime / 2, time, stopping);
                await _refresh.WaitAsync(stopping);
                try
                {
                    if (_snapshot is not { } current || time.GetUtcNow() - current.TakenAt >= cacheTime / 2)
                    {
                        await ReadAsync(stopping);
                    }
                }
                finally
                {
                    _refresh.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogRefreshFailed(log, e); // the next poll starts it again, or reads the snapshot itself
        }
        finally
        {
            Volatile.Write(ref _refreshingAhead, 0);
        }
    }

    /// <summary>Reads the snapshot (and the reports when due); the caller holds <see cref="_refresh"/>.</summary>
    private async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        _stale = false;
        var takenAt = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        await ReadReportsAsync(db, takenAt, ct);
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
        var snapshot = new Snapshot(takenAt, open);
        _snapshot = snapshot;
        return snapshot;
    }

    /// <summary>
    /// Keeps the reported set current without a query per device: the whole set at the first read and
    /// every <see cref="ReportReload"/>, otherwise only the reports since the previous read.
    /// </summary>
    private async Task ReadReportsAsync(FirmwareDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        if (_reportsReadAt is { } readAt && now - readAt < ReportRefresh)
        {
            return;
        }
        var reports = db.Set<DeviceReport>().AsNoTracking();
        if (_reportsReadAt is null || now - _reportsReloadedAt >= ReportReload)
        {
            var all = await reports.Select(r => r.DeviceId).ToListAsync(ct);
            // A device reported here after the read is missing until the next refresh: asked once more, no harm.
            _reported = new ConcurrentDictionary<Guid, byte>(all.Select(id => KeyValuePair.Create(id, (byte)0)));
            _reportsReloadedAt = now;
        }
        else
        {
            var since = _reportsReadAt.Value - ReportOverlap;
            foreach (var id in await reports.Where(r => r.ReportedAt >= since).Select(r => r.DeviceId).ToListAsync(ct))
            {
                _reported[id] = 0;
            }
        }
        _reportsReadAt = now;
    }

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Could not refresh the DDI poll snapshot ahead of the polls; polls read it themselves until the next try")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
