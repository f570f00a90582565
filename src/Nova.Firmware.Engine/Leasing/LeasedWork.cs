using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Leasing;

/// <summary>
/// The one leased store the reconcile loops share: device jobs, recovery runs and rollouts are
/// claimed, released and renewed here, the same way, in the same database. A claim is a
/// compare-and-set on a free or expired lease, so two replicas never step the same work at once,
/// and a replica that dies holds nothing longer than its lease.
/// </summary>
public sealed class LeasedWork(FirmwareDbContext db, Telemetry.EngineMetrics metrics)
{
    /// <summary>
    /// Claims up to <paramref name="batch"/> items of <paramref name="open"/> work that are due and
    /// whose lease is free or expired, except <paramref name="busy"/> (work whose step still runs in
    /// this replica: a lease belongs to the replica, so its own late step must not meet a second one).
    /// </summary>
    public async Task<IReadOnlyList<long>> ClaimDueAsync<T>(Expression<Func<T, bool>> open, string owner, TimeSpan lease, int batch, DateTimeOffset now,
        CancellationToken cancellationToken, IReadOnlyCollection<long>? busy = null) where T : class, ILeasedWork
    {
        var skip = busy?.ToList() ?? [];
        var candidates = await db.Set<T>().AsNoTracking()
            .Where(open)
            .Where(w => w.NextActionAt <= now && (w.LeaseUntil == null || w.LeaseUntil < now) && !skip.Contains(w.Id))
            .OrderBy(w => w.NextActionAt)
            .Select(w => new { w.Id, w.LeaseOwner })
            .Take(batch)
            .ToListAsync(cancellationToken);
        var claimed = new List<long>(candidates.Count);
        var until = now + lease;
        var takenOver = 0;
        foreach (var (id, previousOwner) in candidates.Select(c => (c.Id, c.LeaseOwner)))
        {
            var rows = await db.Set<T>()
                .Where(open)
                .Where(w => w.Id == id && (w.LeaseUntil == null || w.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseOwner, owner).SetProperty(w => w.LeaseUntil, until), cancellationToken);
            if (rows == 1)
            {
                claimed.Add(id);
                // A lease still named after another replica was never given back: it crashed, stopped or stalled.
                takenOver += previousOwner is not null && previousOwner != owner ? 1 : 0;
            }
        }
        metrics.LeaseTakenOver<T>(takenOver);
        return claimed;
    }

    /// <summary>Gives the lease back, leaving NextActionAt as the step set it.</summary>
    public async Task ReleaseAsync<T>(long id, string owner, CancellationToken cancellationToken) where T : class, ILeasedWork =>
        await db.Set<T>()
            .Where(w => w.Id == id && w.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseOwner, (string?)null).SetProperty(w => w.LeaseUntil, (DateTimeOffset?)null), cancellationToken);

    /// <summary>Extends our lease while a long step runs; false when the work is no longer ours (the step must stop).</summary>
    public async Task<bool> RenewAsync<T>(Expression<Func<T, bool>> open, long id, string owner, DateTimeOffset until, CancellationToken cancellationToken) where T : class, ILeasedWork =>
        await db.Set<T>()
            .Where(open)
            .Where(w => w.Id == id && w.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseUntil, until), cancellationToken) == 1;
}
