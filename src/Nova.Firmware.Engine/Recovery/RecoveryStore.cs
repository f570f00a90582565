using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Leasing;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Recovery;

/// <summary>A rung change to write: where to, why, when to look again and when the new rung gives up.</summary>
public sealed record RungChange(RecoveryRung To, string Reason, DateTimeOffset NextActionAt, DateTimeOffset? Deadline = null)
{
    /// <summary>Other fields of the run to set in the same transaction.</summary>
    public Action<RecoveryRun>? Apply { get; init; }
    /// <summary>A technician task opened by this move.</summary>
    public TechnicianTask? Task { get; init; }
    /// <summary>A device job started by this move (a retry); the run's RetryJobId is set to it.</summary>
    public DeviceJob? Job { get; init; }
    public string? TimelineData { get; init; }
    /// <summary>Another write that must land with the move or not at all (a technician task's status).</summary>
    public Func<FirmwareDbContext, CancellationToken, Task<bool>>? Also { get; init; }
}

/// <summary>
/// Recovery runs the way the ladder needs them: leases to claim due runs, and rung changes as
/// compare-and-set on the expected rung and our lease, each with its timeline entry, technician task
/// or retry job in the same transaction, so a crash never leaves a run on a rung without what the
/// rung is waiting for, and never starts the same retry twice.
/// </summary>
public sealed class RecoveryStore(FirmwareDbContext db, LeasedWork leases, TimeProvider time, Telemetry.EngineMetrics metrics)
{
    public Task<IReadOnlyList<long>> ClaimDueAsync(string owner, TimeSpan lease, int batch, CancellationToken cancellationToken) =>
        leases.ClaimDueAsync<RecoveryRun>(r => r.ActiveDeviceId != null, owner, lease, batch, time.GetUtcNow(), cancellationToken);

    /// <summary>Moves the run from <paramref name="from"/> if it is still there and ours; false when someone else won.</summary>
    public async Task<bool> MoveAsync(RecoveryRun run, RecoveryRung from, string? owner, RungChange change, CancellationToken cancellationToken)
    {
        if (!RecoveryTransitions.IsAllowed(from, change.To))
        {
            throw new InvalidOperationException($"Recovery run {run.Id}: {from} → {change.To} is not an allowed move.");
        }
        var now = time.GetUtcNow();
        var terminal = change.To.IsTerminal();
        var reason = Bounded(change.Reason);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Operators act without a lease (owner null): they still only win if the rung is unchanged.
        var rows = await db.Set<RecoveryRun>()
            .Where(r => r.Id == run.Id && r.Rung == from && (owner == null || r.LeaseOwner == owner))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Rung, change.To)
                .SetProperty(r => r.ActiveDeviceId, terminal ? null : run.DeviceId)
                .SetProperty(r => r.StatusReason, reason)
                .SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.RungStartedAt, now)
                .SetProperty(r => r.RungDeadline, change.Deadline)
                .SetProperty(r => r.NextActionAt, change.NextActionAt), cancellationToken);
        if (rows != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return false;
        }
        if (change.Also is { } also && !await also(db, cancellationToken))
        {
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return false;
        }
        if (change.Apply is not null || change.Job is not null)
        {
            var tracked = await db.Set<RecoveryRun>().SingleAsync(r => r.Id == run.Id, cancellationToken);
            change.Apply?.Invoke(tracked);
            if (change.Job is { } job)
            {
                job.RecoveryRunId = run.Id;
                db.Add(job);
                await db.SaveChangesAsync(cancellationToken);
                tracked.RetryJobId = job.Id;
                tracked.Retries++;
            }
        }
        if (change.Task is { } task)
        {
            task.RunId = run.Id;
            db.Add(task);
        }
        db.Add(new TimelineEntry
        {
            DeviceId = run.DeviceId,
            JobId = change.Job?.Id ?? run.FailedJobId,
            At = now,
            Kind = TimelineEntryKind.Recovery,
            Message = $"recovery {from.ToWire()} → {change.To.ToWire()}: {reason}",
            Data = change.TimelineData,
        });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        metrics.RecoveryMoved(change.To, run.Cause);
        return true;
    }

    /// <summary>
    /// Gives the lease back and says when to look again, if the run is still on <paramref name="expected"/>:
    /// an operator moves a run without its lease, and that move's next look must not be pushed back.
    /// </summary>
    public async Task ReleaseAsync(long runId, string owner, RecoveryRung expected, DateTimeOffset nextActionAt, CancellationToken cancellationToken) =>
        await db.Set<RecoveryRun>()
            .Where(r => r.Id == runId && r.LeaseOwner == owner && r.Rung == expected)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.LeaseOwner, (string?)null)
                .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(r => r.NextActionAt, nextActionAt), cancellationToken);

    public Task ReleaseLeaseAsync(long runId, string owner, CancellationToken cancellationToken) =>
        leases.ReleaseAsync<RecoveryRun>(runId, owner, cancellationToken);

    /// <summary>
    /// Keeps the rung but rewrites what it is waiting for (no timeline entry: nothing changed but the
    /// wording), only if the run is still on <paramref name="expected"/>: an operator who moved it
    /// meanwhile (without the lease) keeps their reason and next look. The lease is left to the
    /// loop's release when nothing is written.
    /// </summary>
    public async Task KeepAsync(long runId, string owner, RecoveryRung expected, string reason, DateTimeOffset nextActionAt, CancellationToken cancellationToken)
    {
        var text = Bounded(reason);
        await db.Set<RecoveryRun>()
            .Where(r => r.Id == runId && r.LeaseOwner == owner && r.Rung == expected)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusReason, text)
                .SetProperty(r => r.NextActionAt, nextActionAt)
                .SetProperty(r => r.LeaseOwner, (string?)null)
                .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>Writes one command row (unique by failed job, step and attempt); false when it exists: whoever wrote it sends.</summary>
    public async Task<bool> TryIssueAsync(RecoveryRun run, string step, int attempt, string owner, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.Add(new DeviceCommand { JobId = run.FailedJobId, Step = step, Attempt = attempt, IssuedAt = now, IssuedBy = owner });
        db.Add(new TimelineEntry { DeviceId = run.DeviceId, JobId = run.FailedJobId, At = now, Kind = TimelineEntryKind.Command, Message = message });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task AppendAsync(TimelineEntry entry, CancellationToken cancellationToken)
    {
        db.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>A status reason within its column (the device's words can be long).</summary>
    private static string Bounded(string reason) => reason.Length > 1900 ? reason[..1900] : reason;
}
