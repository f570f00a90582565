using Nova.Firmware.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Leasing;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>A status change to write: the new status and what explains it.</summary>
public sealed record JobTransition(
    DeviceJobStatus To,
    string Reason,
    DateTimeOffset NextActionAt,
    FailureCause? Cause = null,
    PreflightCheck? BlockingCheck = null,
    string? PreFlashSnapshot = null,
    string? TimelineData = null,
    double? CauseConfidence = null,
    IReadOnlyList<string>? CauseEvidence = null);

/// <summary>
/// Reads and writes device jobs the way the engine needs: leases to claim due work, and status
/// changes as compare-and-set on the expected status (and our lease), each with its timeline entry
/// in the same transaction. A replica that lost its lease or raced another writer changes nothing.
/// </summary>
public sealed class DeviceJobStore(FirmwareDbContext db, LeasedWork leases, TimeProvider time, Microsoft.Extensions.Options.IOptions<Recovery.RecoveryOptions> recovery)
{
    /// <summary>
    /// Claims up to <paramref name="batch"/> due jobs whose lease is free or expired, except
    /// <paramref name="stepping"/>: jobs whose step is still running in this replica. A lease is
    /// owned by the replica, not by one step, so a step that outlived its lease (a slow look before
    /// a push) would otherwise meet a second step of the same owner on the same job, and neither
    /// could tell.
    /// </summary>
    public Task<IReadOnlyList<long>> ClaimDueAsync(string owner, TimeSpan lease, int batch, CancellationToken cancellationToken, IReadOnlyCollection<long>? stepping = null) =>
        leases.ClaimDueAsync<DeviceJob>(j => j.ActiveDeviceId != null, owner, lease, batch, time.GetUtcNow(), cancellationToken, stepping);

    /// <summary>Moves the job from <paramref name="from"/> if it still is there and still ours; false when someone else won.</summary>
    public async Task<bool> TransitionAsync(DeviceJob job, DeviceJobStatus from, JobTransition change, string owner, CancellationToken cancellationToken)
    {
        if (!DeviceJobTransitions.IsAllowed(from, change.To))
        {
            throw new InvalidOperationException($"Device job {job.Id}: {from} → {change.To} is not an allowed transition.");
        }
        var now = time.GetUtcNow();
        var terminal = change.To.IsTerminal();
        var reason = change.Reason.Length > 1900 ? change.Reason[..1900] : change.Reason;
        // When the step read the job. News the device sent while the step ran (say, "closed/success"
        // while the step was still writing "rebooting") stamped the job due after that; the transition
        // must not put it off until its own later look, or the news waits for the quiet re-check.
        var seen = job.NextActionAt;
        // A transition that makes the job due at once (the step's own "now") keeps a later news
        // stamp rather than writing its earlier instant over it: the job is due either way, but the
        // step's release compares with that instant, and a stamp equal to it no longer reads as news.
        var dueNow = change.NextActionAt <= now;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.Set<DeviceJob>()
            .Where(j => j.Id == job.Id && j.Status == from && j.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, change.To)
                .SetProperty(j => j.ActiveDeviceId, terminal ? null : job.DeviceId)
                .SetProperty(j => j.StatusReason, reason)
                .SetProperty(j => j.Cause, j => change.Cause ?? j.Cause)
                .SetProperty(j => j.BlockingCheck, j => change.BlockingCheck ?? j.BlockingCheck)
                .SetProperty(j => j.PreFlashSnapshot, j => change.PreFlashSnapshot ?? j.PreFlashSnapshot)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.StepStartedAt, now)
                .SetProperty(j => j.NextActionAt, j => j.NextActionAt > seen && (dueNow || j.NextActionAt < change.NextActionAt) ? j.NextActionAt : change.NextActionAt), cancellationToken);
        if (rows != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }
        db.Add(new TimelineEntry
        {
            DeviceId = job.DeviceId,
            JobId = job.Id,
            At = now,
            Kind = TimelineEntryKind.Transition,
            Message = $"{from.ToWire()} → {change.To.ToWire()}: {reason}",
            Data = change.TimelineData,
        });
        if (change.CauseEvidence is not null || change.CauseConfidence is not null)
        {
            var tracked = await db.Set<DeviceJob>().SingleAsync(j => j.Id == job.Id, cancellationToken);
            tracked.CauseConfidence = change.CauseConfidence;
            tracked.CauseEvidence = change.CauseEvidence?.ToList();
        }
        await HandOverAsync(job, change, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    /// <summary>
    /// In the transaction that ends the job: a failed flash starts its recovery run (so no failure is
    /// ever left without one, and one failure starts one run); a job a run started wakes that run.
    /// </summary>
    private async Task HandOverAsync(DeviceJob job, JobTransition change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!change.To.IsTerminal())
        {
            return;
        }
        if (job.RolloutId is { } rolloutId)
        {
            await FinishRolloutDeviceAsync(job, rolloutId, change, now, cancellationToken);
        }
        if (job.RecoveryRunId is { } runId)
        {
            await db.Set<RecoveryRun>().Where(r => r.Id == runId && r.ActiveDeviceId != null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextActionAt, now), cancellationToken);
            return;
        }
        if (change.To != DeviceJobStatus.Failed)
        {
            return;
        }
        if (await db.Set<RecoveryRun>().AnyAsync(r => r.ActiveDeviceId == job.DeviceId, cancellationToken))
        {
            // A run is already looking after this device (its job was started by hand meanwhile): it stays the one.
            return;
        }
        db.Add(new RecoveryRun
        {
            DeviceId = job.DeviceId,
            FailedJobId = job.Id,
            PackageId = job.PackageId,
            IntendedVersion = job.TargetVersion,
            Rung = RecoveryRung.Diagnosing,
            ActiveDeviceId = job.DeviceId,
            Cause = change.Cause ?? FailureCause.Unknown,
            Confidence = change.CauseConfidence ?? 0,
            Evidence = change.CauseEvidence?.ToList() ?? [],
            StatusReason = "The flash failed; looking at the device again before choosing the way back.",
            ReattemptIntended = recovery.Value.ReattemptIntended,
            CreatedAt = now,
            UpdatedAt = now,
            RungStartedAt = now,
            NextActionAt = now,
        });
    }

    /// <summary>
    /// The rollout takes in how its device's job ended (and whether to retry it) in the job's own
    /// transaction, so its counts and error threshold never miss or double-count an end; then it
    /// is woken to decide what comes next.
    /// </summary>
    private async Task FinishRolloutDeviceAsync(DeviceJob job, long rolloutId, JobTransition change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var member = await db.Set<RolloutDevice>().SingleOrDefaultAsync(m => m.RolloutId == rolloutId && m.JobId == job.Id && m.State == RolloutDeviceState.Active, cancellationToken);
        if (member is null)
        {
            return;
        }
        var rollout = await db.Set<Rollout>().AsNoTracking().Where(r => r.Id == rolloutId).Select(r => new { r.Strategy, r.Status }).SingleAsync(cancellationToken);
        var followed = RolloutTransitions.Followed.ToList();
        // A cancelled rollout retries nothing: the device's outcome is recorded, no retry is planned.
        var retry = followed.Contains(rollout.Status) ? rollout.Strategy.Retry : new RetryPolicy { MaxAttempts = 0 };
        member.Finish(change.To, change.Cause ?? job.Cause, change.BlockingCheck ?? job.BlockingCheck, change.Reason.Length > 1900 ? change.Reason[..1900] : change.Reason, retry, now);
        await db.Set<Rollout>().Where(r => r.Id == rolloutId && followed.Contains(r.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.NextActionAt, now), cancellationToken);
    }

    /// <summary>Gives the lease back and says when to look again.</summary>
    public async Task ReleaseAsync(long jobId, string owner, DateTimeOffset nextActionAt, DateTimeOffset newsSince, CancellationToken cancellationToken) =>
        await db.Set<DeviceJob>()
            .Where(j => j.Id == jobId && j.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)
                // News that came in while the step ran (the device fetched its action before the step
                // that offered it had finished) made the job due: the step must not put it off.
                .SetProperty(j => j.NextActionAt, j => j.NextActionAt > newsSince && j.NextActionAt < nextActionAt ? j.NextActionAt : nextActionAt), cancellationToken);

    /// <summary>Gives the lease back after a step, leaving NextActionAt as the step set it.</summary>
    public Task ReleaseLeaseAsync(long jobId, string owner, CancellationToken cancellationToken) =>
        leases.ReleaseAsync<DeviceJob>(jobId, owner, cancellationToken);

    /// <summary>Extends our lease while a long command runs; false when it is no longer ours (the command must stop).</summary>
    public Task<bool> RenewLeaseAsync(long jobId, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        leases.RenewAsync<DeviceJob>(j => j.ActiveDeviceId != null, jobId, owner, time.GetUtcNow() + lease, cancellationToken);

    /// <summary>
    /// A job that keeps waiting: the reason may have changed (another check now holds it back), the
    /// re-check time has; neither is a transition, so no timeline entry is written every re-check.
    /// </summary>
    public async Task KeepWaitingAsync(long jobId, string owner, string reason, DateTimeOffset recheckAt, CancellationToken cancellationToken)
    {
        var text = reason.Length > 1900 ? reason[..1900] : reason;
        await db.Set<DeviceJob>()
            .Where(j => j.Id == jobId && j.LeaseOwner == owner && j.Status == DeviceJobStatus.Waiting)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.StatusReason, text)
                .SetProperty(j => j.NextActionAt, recheckAt)
                .SetProperty(j => j.UpdatedAt, time.GetUtcNow())
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }

    public async Task AppendAsync(TimelineEntry entry, CancellationToken cancellationToken)
    {
        db.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
