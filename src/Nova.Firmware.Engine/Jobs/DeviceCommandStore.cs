using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// Commands given to devices, one row per job, step and attempt, written and committed before the
/// driver is called. Writing the row is the claim: whoever fails to write it must not send.
/// </summary>
public sealed class DeviceCommandStore(FirmwareDbContext db, TimeProvider time)
{
    public const string Transfer = "transfer";
    public const string CleanUp = "clean-up";

    public Task<DeviceCommand?> FindAsync(long jobId, string step, int attempt, CancellationToken cancellationToken) =>
        db.Set<DeviceCommand>().AsNoTracking().SingleOrDefaultAsync(c => c.JobId == jobId && c.Step == step && c.Attempt == attempt, cancellationToken);

    /// <summary>
    /// Issues a command: in one transaction, checks that the job is still in <paramref name="status"/>,
    /// ours and not being cancelled, and writes the command row with its timeline entry. With
    /// <paramref name="markServed"/> (a push transfer) it also marks the action served: the point
    /// after which cancelling is refused, because the bytes are about to move.
    /// </summary>
    /// <returns>The command, or null when the job moved on, was cancelled, or someone else issued it.</returns>
    public async Task<DeviceCommand?> TryIssueAsync(DeviceJob job, DeviceJobStatus status, string step, int attempt, string owner, bool markServed, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.Set<DeviceJob>()
            .Where(j => j.Id == job.Id && j.Status == status && j.LeaseOwner == owner && !j.CancelRequested)
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(j => j.UpdatedAt, now);
                if (markServed)
                {
                    s.SetProperty(j => j.ActionServedAt, j => j.ActionServedAt ?? now);
                }
            }, cancellationToken);
        if (rows != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            return null;
        }
        var command = new DeviceCommand { JobId = job.Id, Step = step, Attempt = attempt, IssuedAt = now, IssuedBy = owner };
        db.Add(command);
        db.Add(new TimelineEntry { DeviceId = job.DeviceId, JobId = job.Id, At = now, Kind = TimelineEntryKind.Command, Message = message });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique (job, step, attempt) index: another writer issued this command first.
            await tx.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return null;
        }
        await tx.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return command;
    }

    public async Task CompleteAsync(long commandId, DriverResult result, CancellationToken cancellationToken)
    {
        var detail = result.Reason is { Length: > 1900 } r ? r[..1900] : result.Reason;
        var now = time.GetUtcNow();
        await db.Set<DeviceCommand>().Where(c => c.Id == commandId && c.CompletedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.CompletedAt, now)
                .SetProperty(c => c.Outcome, result.Outcome)
                .SetProperty(c => c.Detail, detail), cancellationToken);
    }
}
