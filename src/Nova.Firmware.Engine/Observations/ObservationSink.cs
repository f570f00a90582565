using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
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
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (jobs.Count > 0)
        {
            // Due now: whichever replica's loop looks next steps the job with this news.
            await db.Set<DeviceJob>().Where(j => jobs.Contains(j.Id) && j.ActiveDeviceId != null)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.NextActionAt, now), ct);
            wakeup.Wake();
        }
        return jobs;
    }
}
