using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Rollouts;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Engine.Tests.Infrastructure;

namespace Nova.Firmware.Engine.Tests.Rollouts;

/// <summary>Rollout steps on top of the engine harness: create, step the rollout loop, end device jobs the way the job stepper would.</summary>
internal static class RolloutHarness
{
    public static async Task<Rollout> CreateRolloutAsync(this EngineHarness engine, Guid packageId, RolloutStrategy strategy, RolloutTarget? target = null, bool start = true)
    {
        var result = await engine.WithAsync<RolloutService, CreateRolloutResult>(s => s.CreateAsync(new Rollout
        {
            Name = "test rollout",
            PackageIds = [packageId],
            Target = target ?? new RolloutTarget { Vendor = "Axiom" },
            Strategy = strategy,
            CreatedBy = "tester",
        }, start, CancellationToken.None));
        Assert.Empty(result.Errors);
        return result.Rollout!;
    }

    /// <summary>One pass of the rollout loop as replica A (claims due rollouts, steps, releases).</summary>
    public static Task<int> PassRolloutsAsync(this EngineHarness engine) =>
        engine.WithAsync<RolloutLoop, int>(l => l.PassAsync(CancellationToken.None));

    public static Task<Rollout> RolloutAsync(this EngineHarness engine, long id) =>
        engine.WithDbAsync(db => db.Set<Rollout>().AsNoTracking().SingleAsync(r => r.Id == id));

    public static Task<List<RolloutDevice>> MembersAsync(this EngineHarness engine, long rolloutId) =>
        engine.WithDbAsync(db => db.Set<RolloutDevice>().AsNoTracking().Where(m => m.RolloutId == rolloutId).OrderBy(m => m.Id).ToListAsync());

    public static Task<List<DeviceJob>> ActiveJobsAsync(this EngineHarness engine, long rolloutId) =>
        engine.WithDbAsync(db => db.Set<DeviceJob>().AsNoTracking().Where(j => j.RolloutId == rolloutId && j.ActiveDeviceId != null).OrderBy(j => j.Id).ToListAsync());

    /// <summary>Ends a queued job through the job store's allowed transitions, as the job stepper would, so the hand-over to the rollout runs.</summary>
    public static async Task EndJobAsync(this EngineHarness engine, long jobId, DeviceJobStatus end, FailureCause? cause = null, PreflightCheck? check = null)
    {
        await engine.WithDbAsync(db => db.Set<DeviceJob>().Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, EngineHarness.ReplicaA).SetProperty(j => j.LeaseUntil, engine.Now + TimeSpan.FromMinutes(1))));
        var path = end switch
        {
            DeviceJobStatus.Succeeded => new[] { DeviceJobStatus.Preflight, DeviceJobStatus.Transferring, DeviceJobStatus.Verifying, DeviceJobStatus.Succeeded },
            DeviceJobStatus.Failed => [DeviceJobStatus.Preflight, DeviceJobStatus.Transferring, DeviceJobStatus.Failed],
            DeviceJobStatus.Blocked => [DeviceJobStatus.Preflight, DeviceJobStatus.Blocked],
            DeviceJobStatus.Cancelled => [DeviceJobStatus.Cancelled],
            DeviceJobStatus.Queued or DeviceJobStatus.Preflight or DeviceJobStatus.Waiting or DeviceJobStatus.CleaningUp or DeviceJobStatus.Transferring
                or DeviceJobStatus.Flashing or DeviceJobStatus.Rebooting or DeviceJobStatus.Verifying => throw new ArgumentOutOfRangeException(nameof(end), end, "Not an end."),
            _ => throw new ArgumentOutOfRangeException(nameof(end)),
        };
        var from = DeviceJobStatus.Queued;
        foreach (var to in path)
        {
            var job = await engine.JobAsync(jobId);
            var last = to == end;
            var moved = await engine.WithAsync<DeviceJobStore, bool>(s => s.TransitionAsync(job, from,
                new JobTransition(to, $"test: {to}", engine.Now, last ? cause : null, last ? check : null), EngineHarness.ReplicaA, CancellationToken.None));
            Assert.True(moved, $"job {jobId}: {from} -> {to}");
            from = to;
        }
        if (end == DeviceJobStatus.Succeeded)
        {
            var job = await engine.JobAsync(jobId);
            await engine.WithDbAsync(db => db.Set<Device>().Where(d => d.Id == job.DeviceId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Firmware.ActiveVersion, job.TargetVersion)));
        }
    }

    public static async Task EndAllAsync(this EngineHarness engine, long rolloutId, DeviceJobStatus end, FailureCause? cause = null, PreflightCheck? check = null)
    {
        foreach (var job in await engine.ActiveJobsAsync(rolloutId))
        {
            await engine.EndJobAsync(job.Id, end, cause, check);
        }
    }
}
