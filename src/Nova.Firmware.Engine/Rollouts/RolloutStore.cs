using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Leasing;
using Nova.Firmware.Engine.Telemetry;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Rollouts;

/// <summary>One device job to start for one rollout device, in the state the dispatcher found it.</summary>
public sealed record JobStart(RolloutDevice Member, DeviceJob Job, string Message);

/// <summary>A rollout device's new state, written only if it still is in the state the dispatcher read.</summary>
public sealed record MemberChange(long MemberId, RolloutDeviceState From, RolloutDeviceState To, string Reason, Domain.Preflight.PreflightCheck? BlockingCheck = null);

/// <summary>
/// Rollouts the way the loop and the operators need them: claimed through the leased store the
/// device jobs and recovery runs use; status changes as compare-and-set on the expected status
/// (and, for the loop, its lease); device jobs started in one transaction with the rollout device
/// rows that point at them, so a crash between the two never leaves a job the rollout does not
/// know, and a step that lost its lease starts nothing.
/// </summary>
public sealed class RolloutStore(FirmwareDbContext db, LeasedWork leases, RolloutMetrics metrics, TimeProvider time)
{
    private static readonly List<RolloutStatus> Followed = [.. RolloutTransitions.Followed];

    public Task<IReadOnlyList<long>> ClaimDueAsync(string owner, TimeSpan lease, int batch, CancellationToken cancellationToken) =>
        leases.ClaimDueAsync<Rollout>(r => Followed.Contains(r.Status), owner, lease, batch, time.GetUtcNow(), cancellationToken);

    public Task ReleaseLeaseAsync(long rolloutId, string owner, CancellationToken cancellationToken) =>
        leases.ReleaseAsync<Rollout>(rolloutId, owner, cancellationToken);

    /// <summary>
    /// Writes <paramref name="updated"/>'s status and progress fields if the rollout is still in
    /// <paramref name="from"/> (and ours, when <paramref name="owner"/> is given: operators act
    /// without a lease); false when someone else got there first.
    /// </summary>
    public async Task<bool> MoveAsync(Rollout updated, RolloutStatus from, string? owner, CancellationToken cancellationToken)
    {
        if (updated.Status != from && !RolloutTransitions.IsAllowed(from, updated.Status))
        {
            throw new InvalidOperationException($"Rollout {updated.Id}: {from.ToWire()} → {updated.Status.ToWire()} is not an allowed transition.");
        }
        var now = time.GetUtcNow();
        var reason = Bounded(updated.StatusReason);
        var rows = await db.Set<Rollout>()
            .Where(r => r.Id == updated.Id && r.Status == from && (owner == null || r.LeaseOwner == owner))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, updated.Status)
                .SetProperty(r => r.StatusReason, reason)
                .SetProperty(r => r.OpenedWave, updated.OpenedWave)
                .SetProperty(r => r.WaveCount, updated.WaveCount)
                .SetProperty(r => r.AcknowledgedFailures, updated.AcknowledgedFailures)
                .SetProperty(r => r.StartedAt, updated.StartedAt)
                .SetProperty(r => r.FinishedAt, updated.FinishedAt)
                .SetProperty(r => r.LastJoinCheckAt, updated.LastJoinCheckAt)
                .SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.NextActionAt, updated.NextActionAt), cancellationToken);
        if (rows == 1 && updated.Status != from)
        {
            metrics.RolloutMoved(updated.Status);
        }
        return rows == 1;
    }

    /// <summary>
    /// Keeps the status, rewrites what the rollout is waiting for and when to look again; UpdatedAt
    /// moves only when the wording did (that is what watchers see). A job that ended during the
    /// step has moved NextActionAt from what the step read: that earlier look is kept.
    /// </summary>
    public async Task NoteAsync(Rollout rollout, string owner, string reason, DateTimeOffset nextActionAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var text = Bounded(reason);
        var status = rollout.Status;
        var read = rollout.NextActionAt;
        var query = db.Set<Rollout>().Where(r => r.Id == rollout.Id && r.Status == status && r.LeaseOwner == owner);
        if (text == rollout.StatusReason)
        {
            await query.ExecuteUpdateAsync(s => s.SetProperty(r => r.NextActionAt, r => r.NextActionAt == read ? nextActionAt : r.NextActionAt), cancellationToken);
            return;
        }
        await query.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.StatusReason, text)
            .SetProperty(r => r.UpdatedAt, now)
            .SetProperty(r => r.NextActionAt, r => r.NextActionAt == read ? nextActionAt : r.NextActionAt), cancellationToken);
    }

    /// <summary>
    /// Starts device jobs for rollout devices, all in one transaction that first proves the rollout
    /// is still running and ours. Each device row moves to active only from the state it was read
    /// in; the unique active-job index refuses a device that got another job meanwhile. On any
    /// such race the batch is rolled back and started one by one, so one busy device costs only
    /// itself. Returns the jobs started.
    /// </summary>
    public async Task<IReadOnlyList<DeviceJob>> StartJobsAsync(long rolloutId, string owner, IReadOnlyList<JobStart> starts, CancellationToken cancellationToken)
    {
        if (starts.Count == 0)
        {
            return [];
        }
        if (await TryStartAsync(rolloutId, owner, starts, cancellationToken))
        {
            return [.. starts.Select(s => s.Job)];
        }
        var started = new List<DeviceJob>();
        foreach (var start in starts)
        {
            start.Job.Id = 0;
            if (await TryStartAsync(rolloutId, owner, [start], cancellationToken))
            {
                started.Add(start.Job);
            }
        }
        return started;
    }

    private async Task<bool> TryStartAsync(long rolloutId, string owner, IReadOnlyList<JobStart> starts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // The lease check takes the rollout's row lock first: a replica that took the rollout over
            // meanwhile has changed LeaseOwner, and this step then starts nothing.
            var ours = await db.Set<Rollout>().Where(r => r.Id == rolloutId && r.Status == RolloutStatus.Running && r.LeaseOwner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.UpdatedAt, now), cancellationToken);
            if (ours != 1)
            {
                await tx.RollbackAsync(cancellationToken);
                return false;
            }
            foreach (var start in starts)
            {
                db.Add(start.Job);
            }
            await db.SaveChangesAsync(cancellationToken);
            foreach (var start in starts)
            {
                var member = start.Member;
                var state = member.State;
                var expectedJob = member.JobId;
                var jobId = start.Job.Id;
                var rows = await db.Set<RolloutDevice>()
                    .Where(m => m.Id == member.Id && m.State == state && m.JobId == expectedJob)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(m => m.State, RolloutDeviceState.Active)
                        .SetProperty(m => m.JobId, jobId)
                        .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                        .SetProperty(m => m.RetryAt, (DateTimeOffset?)null)
                        .SetProperty(m => m.Reason, (string?)null)
                        .SetProperty(m => m.UpdatedAt, now), cancellationToken);
                if (rows != 1)
                {
                    await tx.RollbackAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    return false;
                }
                db.Add(new TimelineEntry { DeviceId = start.Job.DeviceId, JobId = jobId, At = now, Kind = TimelineEntryKind.Transition, Message = start.Message });
            }
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return true;
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Writes rollout device changes that start no job (skipped, blocked, succeeded by recovery), each only from the state it was read in.</summary>
    public async Task ChangeMembersAsync(IReadOnlyList<MemberChange> changes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var c in changes)
        {
            var reason = Bounded(c.Reason);
            await db.Set<RolloutDevice>()
                .Where(m => m.Id == c.MemberId && m.State == c.From)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.State, c.To)
                    .SetProperty(m => m.Reason, reason)
                    .SetProperty(m => m.BlockingCheck, m => c.BlockingCheck ?? m.BlockingCheck)
                    .SetProperty(m => m.RetryAt, (DateTimeOffset?)null)
                    .SetProperty(m => m.UpdatedAt, now), cancellationToken);
        }
    }

    private static string? Bounded(string? text) => text is { Length: > 1900 } ? text[..1900] : text;
}
