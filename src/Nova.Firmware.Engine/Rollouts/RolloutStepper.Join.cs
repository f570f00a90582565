using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Rollouts;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>Devices that start matching a rollout's target while it runs (new, re-tagged, moved) join its last wave.</summary>
public sealed partial class RolloutStepper
{
    private const int JoinBatch = 1000;

    /// <summary>Adds late devices (at most a batch per look) and notes the look; null when the rollout is no longer ours.</summary>
    private async Task<Rollout?> JoinLateDevicesAsync(Rollout rollout, string owner, DateTimeOffset now, CancellationToken ct)
    {
        var id = rollout.Id;
        var late = await db.Set<Device>().AsNoTracking().Matching(rollout.Target)
            .Where(d => !db.Set<RolloutDevice>().Any(m => m.RolloutId == id && m.DeviceId == d.Id))
            .OrderBy(d => d.ControllerId)
            .Take(JoinBatch)
            .ToListAsync(ct);
        var joined = 0;
        if (late.Count > 0)
        {
            var packageIds = rollout.PackageIds;
            var packages = await db.Set<FirmwarePackage>().AsNoTracking().Where(p => packageIds.Contains(p.Id)).ToListAsync(ct);
            var ordered = rollout.PackageIds.Select(pid => packages.FirstOrDefault(p => p.Id == pid)).OfType<FirmwarePackage>().ToList();
            var lastWave = Math.Max(0, rollout.WaveCount - 1);
            var members = RolloutMembers.Plan(late, ordered, rollout.Strategy, rollout.Id, now, lastWave);
            foreach (var member in members)
            {
                db.Add(member);
                try
                {
                    await db.SaveChangesAsync(ct);
                    joined++;
                }
                catch (DbUpdateException)
                {
                    // Another look added it first (the unique index keeps a device in a rollout once).
                }
                db.ChangeTracker.Clear();
            }
            if (rollout.WaveCount == 0 && joined > 0)
            {
                rollout.WaveCount = 1;
            }
        }
        rollout.LastJoinCheckAt = now;
        if (!await store.MoveAsync(rollout, rollout.Status, owner, ct))
        {
            return null;
        }
        if (joined > 0)
        {
            LogJoined(log, rollout.Id, joined);
        }
        return rollout;
    }
}
