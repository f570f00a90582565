using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Endpoints.Management.Rollouts;

/// <summary>
/// A rollout's progress from grouped counts (never its device rows one by one): per state, per
/// wave, failures by cause, refusals by check, and an estimate of when it ends at the pace so far.
/// </summary>
public sealed class RolloutProgressReader(FirmwareDbContext db, RolloutStepper stepper, TimeProvider time)
{
    public async Task<RolloutProgress> ReadAsync(Rollout rollout, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var tallies = await stepper.TallyAsync(rollout.Id, now, ct);
        var states = await db.Set<RolloutDevice>().AsNoTracking().Where(m => m.RolloutId == rollout.Id)
            .GroupBy(m => m.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct);
        var causes = await db.Set<RolloutDevice>().AsNoTracking().Where(m => m.RolloutId == rollout.Id && m.State == RolloutDeviceState.Failed)
            .GroupBy(m => m.Cause).Select(g => new { Cause = g.Key, Count = g.Count() }).ToListAsync(ct);
        var checks = await db.Set<RolloutDevice>().AsNoTracking().Where(m => m.RolloutId == rollout.Id && m.State == RolloutDeviceState.Blocked)
            .GroupBy(m => m.BlockingCheck).Select(g => new { Check = g.Key, Count = g.Count() }).ToListAsync(ct);
        var unplanned = await db.Set<RolloutDevice>().CountAsync(m => m.RolloutId == rollout.Id && m.Wave == RolloutDevice.Unplanned, ct);
        var byState = WireNames.Names<RolloutDeviceState>().ToDictionary(n => n, _ => 0);
        foreach (var s in states)
        {
            byState[s.State.ToWire()] = s.Count;
        }
        var waves = tallies.Select(t => new WaveProgress(t.Wave, RolloutAdvance.WaveName(rollout, t.Wave), t.Wave <= rollout.OpenedWave,
            t.Total, t.Pending, t.Active, t.Succeeded, t.Failed, t.Blocked, t.Cancelled, t.Skipped, Math.Round(t.SuccessPercent, 1))).ToList();
        return new RolloutProgress(
            states.Sum(s => s.Count),
            byState,
            waves,
            causes.ToDictionary(c => c.Cause?.ToWire() ?? "unknown", c => c.Count),
            checks.ToDictionary(c => c.Check?.ToWire() ?? "unknown", c => c.Count),
            unplanned,
            Estimate(rollout, tallies, now));
    }

    /// <summary>At the pace since the start (devices decided per second), when the devices left are done; null before there is a pace.</summary>
    private static DateTimeOffset? Estimate(Rollout rollout, IReadOnlyList<WaveTally> tallies, DateTimeOffset now)
    {
        if (rollout.Status is not (RolloutStatus.Running or RolloutStatus.Paused or RolloutStatus.AwaitingApproval) || rollout.StartedAt is not { } started)
        {
            return null;
        }
        var decided = tallies.Sum(t => t.Succeeded + t.Failed + t.Blocked + t.Cancelled + t.Skipped - t.RetryPending);
        var left = tallies.Sum(t => t.Total) - decided;
        var elapsed = (now - started).TotalSeconds;
        if (decided <= 0 || elapsed <= 0)
        {
            return null;
        }
        return now + TimeSpan.FromSeconds(Math.Min(left / (decided / elapsed), TimeSpan.FromDays(365).TotalSeconds));
    }
}
