using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Endpoints.Management.Recovery;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>Everything the device page shows, read in one scope through the API's own wire mappings.</summary>
public sealed record DeviceDetails(
    DeviceResponse Device, IReadOnlyList<JobResponse> Jobs, IReadOnlyList<TimelineEntryResponse> Timeline,
    IReadOnlyList<RecoveryRunResponse> Recoveries, IReadOnlyList<TechnicianTaskResponse> Tasks)
{
    public const int TimelineLength = 50;

    /// <summary>The newest failed job: the one whose diagnosis the page explains.</summary>
    public JobResponse? LastFailure => Jobs.FirstOrDefault(j => j.Cause is not null);

    public static async Task<ApiOutcome<DeviceDetails>> ReadAsync(IServiceProvider services, Guid id, CancellationToken ct)
    {
        var db = services.GetRequiredService<FirmwareDbContext>();
        var device = ApiOutcome<DeviceResponse>.From((await DeviceEndpoints.GetAsync(id, db, ct)).Result);
        if (device.Value is null)
        {
            return new(null, device.Status, device.Error);
        }
        var jobs = await db.Set<DeviceJob>().AsNoTracking().Where(j => j.DeviceId == id).OrderByDescending(j => j.Id).Take(10).ToListAsync(ct);
        var timeline = await db.Set<TimelineEntry>().AsNoTracking().Where(t => t.DeviceId == id).OrderByDescending(t => t.Id).Take(TimelineLength).ToListAsync(ct);
        var runs = await db.Set<RecoveryRun>().AsNoTracking().Where(r => r.DeviceId == id).OrderByDescending(r => r.Id).Take(5).ToListAsync(ct);
        var tasks = await db.Set<TechnicianTask>().AsNoTracking().Where(t => t.DeviceId == id).OrderByDescending(t => t.Id).Take(5).ToListAsync(ct);
        return new(new DeviceDetails(
            device.Value,
            [.. jobs.Select(j => JobResponse.From(j))],
            [.. timeline.Select(TimelineEntryResponse.From)],
            [.. runs.Select(r => RecoveryRunResponse.From(r, tasks.FirstOrDefault(t => t.RunId == r.Id)?.Id))],
            [.. tasks.Select(t => TechnicianTaskResponse.From(t, []))]), 200, null);
    }

    /// <summary>The recovery ladder in the article's order, for showing how far a run has climbed.</summary>
    public static readonly List<string> Ladder =
        ["diagnosing", "cleaning-up", "retrying", "waiting-for-self-recovery", "booting-recovery", "reflashing", "verifying", "awaiting-technician"];
}
