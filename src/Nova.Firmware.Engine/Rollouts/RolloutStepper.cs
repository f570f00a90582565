using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Engine.Drivers;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>
/// One step of one rollout, run by whichever replica holds its lease: take in late devices, read
/// the waves' tallies, and do what <see cref="RolloutAdvance"/> decides (pause, wait for approval,
/// complete, open the next wave, or start device jobs within the limits and the window). Every
/// write is a compare-and-set, so a step that lost its lease or raced an operator changes nothing.
/// How each job ends is taken in by the job store in the job's own transaction, not here.
/// </summary>
public sealed partial class RolloutStepper(
    FirmwareDbContext db,
    RolloutStore store,
    DeviceDrivers drivers,
    JobWakeup wakeup,
    IOptions<RolloutOptions> options,
    IOptions<PowerOptions> power,
    TimeProvider time,
    ILogger<RolloutStepper> log)
{
    public async Task StepAsync(long rolloutId, string owner, CancellationToken ct)
    {
        var rollout = await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == rolloutId && r.LeaseOwner == owner, ct);
        if (rollout is null || !rollout.Status.IsFollowed())
        {
            return;
        }
        var now = time.GetUtcNow();
        if (rollout.Strategy.JoinLateDevices && (rollout.LastJoinCheckAt is null || now - rollout.LastJoinCheckAt >= options.Value.JoinCheckInterval))
        {
            rollout = await JoinLateDevicesAsync(rollout, owner, now, ct);
            if (rollout is null)
            {
                return;
            }
        }
        if (rollout.Status != RolloutStatus.Running)
        {
            // Paused or waiting for approval: nothing starts; ends of running jobs are recorded by the job store.
            await store.NoteAsync(rollout, owner, rollout.StatusReason ?? "", now + options.Value.IdleRecheckInterval, ct);
            return;
        }
        var tallies = await TallyAsync(rollout.Id, now, ct);
        var decision = RolloutAdvance.Decide(rollout, tallies);
        switch (decision.Move)
        {
            case RolloutMove.Pause:
                await MoveAsync(rollout, owner, RolloutStatus.Paused, decision.Reason, now + options.Value.IdleRecheckInterval, ct);
                return;
            case RolloutMove.AwaitApproval:
                await MoveAsync(rollout, owner, RolloutStatus.AwaitingApproval, decision.Reason, now + options.Value.IdleRecheckInterval, ct);
                return;
            case RolloutMove.Complete:
                rollout.FinishedAt = now;
                await MoveAsync(rollout, owner, RolloutStatus.Completed, decision.Reason, now, ct);
                return;
            case RolloutMove.OpenNextWave:
                rollout.OpenedWave++;
                if (!await MoveAsync(rollout, owner, RolloutStatus.Running, decision.Reason, now, ct))
                {
                    return;
                }
                await DispatchAsync(rollout, owner, now, ct);
                return;
            case RolloutMove.Dispatch:
                await DispatchAsync(rollout, owner, now, ct);
                return;
            default:
                throw new InvalidOperationException($"Unknown rollout move {decision.Move}.");
        }
    }

    /// <summary>Every wave's tally in one grouped query (a rollout may have 100,000 devices).</summary>
    public async Task<IReadOnlyList<WaveTally>> TallyAsync(long rolloutId, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.Set<RolloutDevice>().AsNoTracking()
            .Where(m => m.RolloutId == rolloutId && m.Wave != RolloutDevice.Unplanned)
            .GroupBy(m => new { m.Wave, m.State, Retry = m.RetryAt != null })
            .Select(g => new { g.Key.Wave, g.Key.State, g.Key.Retry, Count = g.Count() })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Wave).OrderBy(g => g.Key).Select(g => new WaveTally(g.Key)
        {
            Total = g.Sum(r => r.Count),
            Pending = g.Where(r => r.State == RolloutDeviceState.Pending).Sum(r => r.Count),
            Active = g.Where(r => r.State == RolloutDeviceState.Active).Sum(r => r.Count),
            Succeeded = g.Where(r => r.State == RolloutDeviceState.Succeeded).Sum(r => r.Count),
            Failed = g.Where(r => r.State == RolloutDeviceState.Failed).Sum(r => r.Count),
            Blocked = g.Where(r => r.State == RolloutDeviceState.Blocked).Sum(r => r.Count),
            Cancelled = g.Where(r => r.State == RolloutDeviceState.Cancelled).Sum(r => r.Count),
            Skipped = g.Where(r => r.State == RolloutDeviceState.Skipped).Sum(r => r.Count),
            RetryPending = g.Where(r => r.Retry && r.State is RolloutDeviceState.Failed or RolloutDeviceState.Blocked).Sum(r => r.Count),
        }).ToList();
    }

    private async Task<bool> MoveAsync(Rollout rollout, string owner, RolloutStatus to, string reason, DateTimeOffset next, CancellationToken ct)
    {
        var from = rollout.Status;
        rollout.Status = to;
        rollout.StatusReason = reason;
        rollout.NextActionAt = next;
        var moved = await store.MoveAsync(rollout, from, owner, ct);
        if (moved && from != to)
        {
            LogMoved(log, rollout.Id, from.ToWire(), to.ToWire(), reason);
        }
        return moved;
    }

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Rollout {RolloutId}: {From} -> {To}: {Reason}")]
    private static partial void LogMoved(ILogger logger, long rolloutId, string from, string to, string reason);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Rollout {RolloutId} started {Count} device jobs")]
    private static partial void LogStarted(ILogger logger, long rolloutId, int count);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Rollout {RolloutId}: {Count} devices joined late")]
    private static partial void LogJoined(ILogger logger, long rolloutId, int count);
}
