using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Observations;

/// <summary>
/// Writes observations to the timeline and makes their job due. Scoped: it shares the caller's
/// database context, so inventory changes made alongside commit with the entries.
/// </summary>
public sealed class ObservationSink(FirmwareDbContext db, JobWakeup wakeup, TimeProvider time) : IObservationSink
{
    public async Task<long?> RecordAsync(DeviceObservation observation, CancellationToken cancellationToken)
    {
        var jobs = await RecordAllAsync([observation], cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
    }

    public async Task RecordAsync(IReadOnlyList<DeviceObservation> observations, CancellationToken cancellationToken) =>
        await RecordAllAsync(observations, cancellationToken);

    private async Task<IReadOnlyList<long>> RecordAllAsync(IReadOnlyList<DeviceObservation> observations, CancellationToken ct)
    {
        if (observations.Count == 0)
        {
            return [];
        }
        var now = time.GetUtcNow();
        var active = new Dictionary<Guid, long?>();
        var jobs = new List<long>();
        foreach (var o in observations)
        {
            var jobId = o.JobId;
            if (jobId is null)
            {
                if (!active.TryGetValue(o.DeviceId, out jobId))
                {
                    jobId = await db.Set<DeviceJob>().AsNoTracking().Where(j => j.ActiveDeviceId == o.DeviceId).Select(j => (long?)j.Id).SingleOrDefaultAsync(ct);
                    active[o.DeviceId] = jobId;
                }
            }
            db.Add(new TimelineEntry
            {
                DeviceId = o.DeviceId,
                JobId = jobId,
                At = now,
                Kind = o.Kind,
                Message = o.Message.Length > 1900 ? o.Message[..1900] : o.Message,
                Data = o.Data,
            });
            if (jobId is { } id && !jobs.Contains(id))
            {
                jobs.Add(id);
            }
        }
        await EchoPowerEventsToFeedAsync(observations, now, jobs, ct);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        // A device in a recovery run: the run looks at the news now rather than at its next re-check.
        var devices = observations.Select(o => o.DeviceId).Distinct().ToList();
        await db.Set<RecoveryRun>().Where(r => r.ActiveDeviceId != null && devices.Contains(r.DeviceId) && r.NextActionAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextActionAt, now), ct);
        if (jobs.Count > 0)
        {
            // Due now: whichever replica's loop looks next steps the job with this news. "Now" is
            // read after the entries are committed: a step that began before the commit (and so
            // may not have seen them) began before this instant, and its release keeps the job
            // due (DeviceJobStore.ReleaseAsync); the instant the entries were stamped with could
            // be earlier than that step's start.
            var due = time.GetUtcNow();
            await db.Set<DeviceJob>().Where(j => jobs.Contains(j.Id) && j.ActiveDeviceId != null)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.NextActionAt, due), ct);
            wakeup.Wake();
        }
        return jobs;
    }

    /// <summary>
    /// A power event is rarely one device's alone: a brownout on a PoE switch resets every port.
    /// Devices on the same feed with a job in progress get the event on their own timeline, so a
    /// flash that fails there shows the brownout that explains it.
    /// </summary>
    private async Task EchoPowerEventsToFeedAsync(IReadOnlyList<DeviceObservation> observations, DateTimeOffset now, List<long> jobs, CancellationToken ct)
    {
        foreach (var o in observations.Where(o => o.Kind == TimelineEntryKind.Power))
        {
            var source = await db.Set<Device>().AsNoTracking().Where(d => d.Id == o.DeviceId)
                .Select(d => new { d.ControllerId, d.PowerFeed.SwitchId }).SingleOrDefaultAsync(ct);
            if (source?.SwitchId is not { } feed)
            {
                continue;
            }
            var mates = await db.Set<DeviceJob>().AsNoTracking()
                .Where(j => j.ActiveDeviceId != null && j.DeviceId != o.DeviceId)
                .Join(db.Set<Device>().Where(d => d.PowerFeed.SwitchId == feed), j => j.DeviceId, d => d.Id, (j, d) => new { j.Id, j.DeviceId })
                .ToListAsync(ct);
            foreach (var mate in mates)
            {
                db.Add(new TimelineEntry
                {
                    DeviceId = mate.DeviceId,
                    JobId = mate.Id,
                    At = now,
                    Kind = TimelineEntryKind.Power,
                    Message = $"Power event on feed {feed}: {source.ControllerId} {o.Message.TrimEnd('.').Replace("The device", "", StringComparison.Ordinal).Trim()}.",
                });
                if (!jobs.Contains(mate.Id))
                {
                    jobs.Add(mate.Id);
                }
            }
        }
    }
}
