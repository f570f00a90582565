using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Rollouts;

public enum RolloutActionError
{
    NotFound = 0,
    /// <summary>The rollout's status does not allow the action (or changed under it).</summary>
    Conflict = 1,
}

public sealed record RolloutActionResult(Rollout? Rollout, RolloutActionError? Error, string? Message)
{
    public static RolloutActionResult Done(Rollout rollout, string message) => new(rollout, null, message);
}

public sealed record CreateRolloutResult(Rollout? Rollout, IReadOnlyList<FieldError> Errors, int Devices, int Unplanned);

/// <summary>
/// What operators ask of rollouts: create (devices matched and planned into waves at once, in one
/// transaction), start, pause, resume, approve the next wave, cancel, retry the failed devices.
/// Each status change is a compare-and-set without a lease, as for recovery runs: the loop and an
/// operator never both win, and the loop is woken to act on the change at once.
/// </summary>
public sealed class RolloutService(FirmwareDbContext db, RolloutStore store, RolloutStepper stepper, DeviceJobService jobs, IOptions<RolloutOptions> options, TimeProvider time)
{
    public async Task<CreateRolloutResult> CreateAsync(Rollout draft, bool start, CancellationToken ct)
    {
        var errors = RolloutRules.Check(draft).ToList();
        if (errors.Count > 0)
        {
            return new(null, errors, 0, 0);
        }
        var ids = draft.PackageIds;
        var found = await db.Set<FirmwarePackage>().AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        var packages = draft.PackageIds.Select(id => found.FirstOrDefault(p => p.Id == id)).ToList();
        for (var i = 0; i < packages.Count; i++)
        {
            if (packages[i] is null)
            {
                errors.Add(new($"packageIds[{i}]", $"Package {draft.PackageIds[i]} does not exist."));
            }
            else if (packages[i]!.QuarantinedAt is not null)
            {
                errors.Add(new($"packageIds[{i}]", $"Package {packages[i]!.Version} is quarantined: {packages[i]!.QuarantineReason}"));
            }
            else if (packages[i]!.Kind != PackageKind.Update)
            {
                errors.Add(new($"packageIds[{i}]", $"Package {packages[i]!.Version} is a {packages[i]!.Kind.ToWire()} image; rollouts flash update packages."));
            }
        }
        var devices = await db.Set<Device>().AsNoTracking().Matching(draft.Target)
            // The same order as the preview: more than the limit is refused, but the wave plan is the one previewed.
            .OrderBy(d => d.ControllerId).Take(options.Value.MaxDevices + 1).ToListAsync(ct);
        if (devices.Count == 0)
        {
            errors.Add(new("target", $"No device matches the target ({draft.Target})."));
        }
        if (devices.Count > options.Value.MaxDevices)
        {
            errors.Add(new("target", $"More than {options.Value.MaxDevices} devices match; split the rollout (by site or model)."));
        }
        if (errors.Count > 0)
        {
            return new(null, errors, devices.Count, 0);
        }
        var now = time.GetUtcNow();
        draft.Status = RolloutStatus.Ready;
        draft.CreatedAt = now;
        draft.UpdatedAt = now;
        draft.NextActionAt = now;
        draft.OpenedWave = -1;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(draft);
        await db.SaveChangesAsync(ct);
        var members = RolloutMembers.Plan(devices, packages!, draft.Strategy, draft.Id, now);
        draft.WaveCount = members.Where(m => m.Wave != RolloutDevice.Unplanned).Select(m => m.Wave).DefaultIfEmpty(-1).Max() + 1;
        var unplanned = members.Count(m => m.Wave == RolloutDevice.Unplanned);
        draft.StatusReason = $"{members.Count} devices in {draft.WaveCount} waves" + (unplanned > 0 ? $"; no package fits {unplanned} of them." : ".") + " Start it to begin.";
        db.AddRange(members);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        if (start)
        {
            var started = await StartAsync(draft.Id, draft.CreatedBy, ct);
            return new(started.Rollout ?? draft, [], members.Count, unplanned);
        }
        return new(draft, [], members.Count, unplanned);
    }

    public Task<RolloutActionResult> StartAsync(long id, string by, CancellationToken ct) =>
        ActAsync(id, [RolloutStatus.Ready], RolloutStatus.Running, (r, now) =>
        {
            r.OpenedWave = 0;
            r.StartedAt = now;
            r.StatusReason = $"Started by {by}.";
        }, ct);

    public Task<RolloutActionResult> PauseAsync(long id, string by, CancellationToken ct) =>
        ActAsync(id, [RolloutStatus.Running, RolloutStatus.AwaitingApproval], RolloutStatus.Paused,
            (r, _) => r.StatusReason = $"Paused by {by}; device jobs already started run to their end, no new ones start.", ct);

    /// <summary>
    /// Resumes a paused rollout. The failures seen so far are acknowledged (the error threshold
    /// counts only new ones); a rollout that paused on a wave's success gate opens the next wave.
    /// </summary>
    public async Task<RolloutActionResult> ResumeAsync(long id, string by, CancellationToken ct)
    {
        var tallies = await stepper.TallyAsync(id, time.GetUtcNow(), ct);
        return await ActAsync(id, [RolloutStatus.Paused], RolloutStatus.Running, (r, _) =>
        {
            var opened = tallies.Where(t => t.Wave <= r.OpenedWave).ToList();
            r.AcknowledgedFailures = opened.Sum(t => t.Failed);
            var waveDone = opened.Count > 0 && opened.All(t => t.IsDone);
            if (waveDone && r.OpenedWave < r.WaveCount - 1)
            {
                r.OpenedWave++;
            }
            r.StatusReason = $"Resumed by {by}" + (waveDone && r.OpenedWave < r.WaveCount ? $"; opening {RolloutAdvance.WaveName(r, r.OpenedWave)}." : ".");
        }, ct);
    }

    public Task<RolloutActionResult> ApproveAsync(long id, string by, CancellationToken ct) =>
        ActAsync(id, [RolloutStatus.AwaitingApproval], RolloutStatus.Running, (r, _) =>
        {
            r.OpenedWave = Math.Min(r.OpenedWave + 1, r.WaveCount - 1);
            r.StatusReason = $"{by} approved {RolloutAdvance.WaveName(r, r.OpenedWave)}.";
        }, ct);

    /// <summary>
    /// Cancels: devices not started yet are cancelled; device jobs that have not sent anything are
    /// asked to cancel; the rest (bytes on their way, flashing, rebooting) run to a safe end.
    /// </summary>
    public async Task<RolloutActionResult> CancelAsync(long id, string by, CancellationToken ct)
    {
        var result = await ActAsync(id, [RolloutStatus.Ready, RolloutStatus.Running, RolloutStatus.Paused, RolloutStatus.AwaitingApproval], RolloutStatus.Cancelled, (r, now) =>
        {
            r.FinishedAt = now;
            r.StatusReason = $"Cancelled by {by}.";
        }, ct);
        if (result.Rollout is null)
        {
            return result;
        }
        var now = time.GetUtcNow();
        var waiting = new[] { RolloutDeviceState.Pending, RolloutDeviceState.Failed, RolloutDeviceState.Blocked };
        await db.Set<RolloutDevice>()
            .Where(m => m.RolloutId == id && (m.State == RolloutDeviceState.Pending || (waiting.Contains(m.State) && m.RetryAt != null)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, m => m.State == RolloutDeviceState.Pending ? RolloutDeviceState.Cancelled : m.State)
                .SetProperty(m => m.RetryAt, (DateTimeOffset?)null)
                .SetProperty(m => m.Reason, $"The rollout was cancelled by {by}.")
                .SetProperty(m => m.UpdatedAt, now), ct);
        var active = await db.Set<RolloutDevice>().AsNoTracking().Where(m => m.RolloutId == id && m.State == RolloutDeviceState.Active && m.JobId != null)
            .Select(m => m.JobId!.Value).ToListAsync(ct);
        var asked = 0;
        foreach (var jobId in active)
        {
            if (await jobs.CancelAsync(jobId, by, ct) == CancelJobResult.Requested)
            {
                asked++;
            }
        }
        var runOn = active.Count - asked;
        return RolloutActionResult.Done(result.Rollout, $"Cancelled. {asked} device jobs that had not sent anything are being cancelled; {runOn} past that point run to a safe end.");
    }

    /// <summary>Sends failed and blocked devices back to the queue (never those the packages do not fit); a completed rollout runs again for them.</summary>
    public async Task<RolloutActionResult> RetryFailedAsync(long id, string by, CancellationToken ct)
    {
        var rollout = await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rollout is null)
        {
            return new(null, RolloutActionError.NotFound, $"Rollout {id} does not exist.");
        }
        if (rollout.Status is RolloutStatus.Cancelled or RolloutStatus.Ready)
        {
            return new(rollout, RolloutActionError.Conflict, $"Rollout {id} is {rollout.Status.ToWire()}; only a started rollout retries its failed devices.");
        }
        var now = time.GetUtcNow();
        var failedStates = new[] { RolloutDeviceState.Failed, RolloutDeviceState.Blocked };
        var retried = await db.Set<RolloutDevice>()
            .Where(m => m.RolloutId == id && m.Wave != RolloutDevice.Unplanned && failedStates.Contains(m.State)
                && m.Cause != Domain.Diagnosis.FailureCause.WrongHardware && m.BlockingCheck != PreflightCheck.Compatibility)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, RolloutDeviceState.Pending)
                .SetProperty(m => m.RetryAt, (DateTimeOffset?)null)
                .SetProperty(m => m.Reason, $"Retry asked by {by}.")
                .SetProperty(m => m.UpdatedAt, now), ct);
        if (rollout.Status == RolloutStatus.Completed)
        {
            var reopened = await ActAsync(id, [RolloutStatus.Completed], RolloutStatus.Running, (r, _) =>
            {
                r.FinishedAt = null;
                r.StatusReason = $"{by} asked to retry {retried} failed devices.";
            }, ct);
            return reopened.Rollout is null ? reopened : RolloutActionResult.Done(reopened.Rollout, $"{retried} devices queued again.");
        }
        await db.Set<Rollout>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.NextActionAt, now).SetProperty(r => r.UpdatedAt, now), ct);
        return RolloutActionResult.Done(rollout, $"{retried} devices queued again" + (rollout.Status == RolloutStatus.Running ? "." : $"; they start when the rollout runs (it is {rollout.Status.ToWire()})."));
    }

    private async Task<RolloutActionResult> ActAsync(long id, RolloutStatus[] from, RolloutStatus to, Action<Rollout, DateTimeOffset> apply, CancellationToken ct)
    {
        var rollout = await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rollout is null)
        {
            return new(null, RolloutActionError.NotFound, $"Rollout {id} does not exist.");
        }
        if (!from.Contains(rollout.Status))
        {
            return new(rollout, RolloutActionError.Conflict,
                $"Rollout {id} is {rollout.Status.ToWire()}; this needs it to be {string.Join(" or ", from.Select(f => f.ToWire()))}.");
        }
        var now = time.GetUtcNow();
        var status = rollout.Status;
        apply(rollout, now);
        rollout.Status = to;
        rollout.NextActionAt = now;
        if (!await store.MoveAsync(rollout, status, owner: null, ct))
        {
            return new(rollout, RolloutActionError.Conflict, $"Rollout {id} changed meanwhile; read it again and retry.");
        }
        return RolloutActionResult.Done(rollout, rollout.StatusReason ?? "");
    }
}
