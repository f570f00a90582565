using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Persistence;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Tests.Infrastructure;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Jobs;

/// <summary>Several replicas on one database: leases, compare-and-set transitions, one active job per device.</summary>
public sealed class LeaseAndCompareAndSetTests
{
    /// <summary>Leases and compare-and-set are database behaviour: proven on both databases the product runs on.</summary>
    public static TheoryData<DatabaseProvider> Databases => TestDatabases.All;

    private const string A = EngineHarness.ReplicaA;
    private const string B = EngineHarness.ReplicaB;

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ClaimDueAsync_TwoReplicasOneDueJob_OnlyOneGetsIt(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;

        var claims = await Task.WhenAll(engine.ClaimAsync(A), engine.ClaimAsync(B));

        Assert.Equal([jobId], claims.SelectMany(c => c));
        var job = await engine.JobAsync(jobId);
        Assert.Equal(claims[0].Count == 1 ? A : B, job.LeaseOwner);
        Assert.Equal(engine.Now + engine.Options.LeaseDuration, job.LeaseUntil);
        Assert.Empty(await engine.ClaimAsync(A));
        Assert.Empty(await engine.ClaimAsync(B));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TransitionAsync_StaleExpectedStatus_WritesNothingAndAppendsNoTimelineEntry(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal([jobId], await engine.ClaimAsync(A));
        var before = await engine.JobAsync(jobId);
        var timelineBefore = (await engine.TimelineAsync(jobId)).Count;

        // The job is Queued; a writer that believes it is in Preflight must lose.
        var moved = await engine.WithAsync<DeviceJobStore, bool>(s => s.TransitionAsync(before, DeviceJobStatus.Preflight,
            new JobTransition(DeviceJobStatus.Transferring, "stale", engine.Now), A, CancellationToken.None));

        Assert.False(moved);
        var after = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Queued, after.Status);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Equal(before.StatusReason, after.StatusReason);
        Assert.Equal(timelineBefore, (await engine.TimelineAsync(jobId)).Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TransitionAsync_RightStatusButAnotherOwnersLease_WritesNothing(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal([jobId], await engine.ClaimAsync(A));
        var job = await engine.JobAsync(jobId);
        var timelineBefore = (await engine.TimelineAsync(jobId)).Count;

        var moved = await engine.WithAsync<DeviceJobStore, bool>(s => s.TransitionAsync(job, DeviceJobStatus.Queued,
            new JobTransition(DeviceJobStatus.Preflight, "not my lease", engine.Now), B, CancellationToken.None));

        Assert.False(moved);
        Assert.Equal(DeviceJobStatus.Queued, (await engine.JobAsync(jobId)).Status);
        Assert.Equal(timelineBefore, (await engine.TimelineAsync(jobId)).Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ClaimDueAsync_LeaseExpired_OtherReplicaTakesOverAndOldOwnerCannotStep(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal([jobId], await engine.ClaimAsync(A));

        // A crashes without releasing. Until its lease runs out, B must keep away.
        engine.Advance(engine.Options.LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.Empty(await engine.ClaimAsync(B));
        engine.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([jobId], await engine.ClaimAsync(B));
        Assert.Equal(B, (await engine.JobAsync(jobId)).LeaseOwner);

        // A wakes up late and tries its step: nothing happens.
        await engine.StepAsync(jobId, A);
        Assert.Equal(DeviceJobStatus.Queued, (await engine.JobAsync(jobId)).Status);

        await engine.StepAsync(jobId, B);
        Assert.Equal(DeviceJobStatus.Preflight, (await engine.JobAsync(jobId)).Status);
        Assert.Single(await engine.TransitionsAsync(jobId), m => m.StartsWith("queued → preflight", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ClaimDueAsync_OwnStepOutlivesItsLease_SameReplicaDoesNotStartASecondStep(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal([jobId], await engine.ClaimAsync(A));

        // A's step is still running when its lease runs out (a slow look at a camera before a push).
        // The lease names the replica, not the step: a second step of A would pass every owner check.
        engine.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.Empty(await engine.ClaimAsync(A, stepping: [jobId]));
        Assert.Equal(A, (await engine.JobAsync(jobId)).LeaseOwner);

        // Another replica may still take the expired lease over; A's step then loses its writes.
        Assert.Equal([jobId], await engine.ClaimAsync(B, stepping: []));
        Assert.Equal(B, (await engine.JobAsync(jobId)).LeaseOwner);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task StepAsync_RerunAfterCrashBeforeRelease_DoesNotDuplicateTransitions(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.FeedbackAsync(jobId, E.Downloaded, F.None, "Download complete.");
        await engine.FeedbackAsync(jobId, E.Proceeding, F.None, "All Chunks Installed.");

        // A runs the step, then dies before ReleaseLease.
        Assert.Equal([jobId], await engine.ClaimAsync(A));
        await engine.StepAsync(jobId, A);
        Assert.Equal(DeviceJobStatus.Rebooting, (await engine.JobAsync(jobId)).Status);

        // The same step again: by A itself (a retry inside its lease), then by B once the lease expired.
        await engine.StepAsync(jobId, A);
        engine.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.Equal([jobId], await engine.ClaimAsync(B));
        await engine.StepAsync(jobId, B);
        await engine.ReleaseLeaseAsync(jobId, B);
        await engine.StepUntilIdleAsync(B);

        var transitions = await engine.TransitionsAsync(jobId);
        Assert.Equal(["queued:", "queued → preflight:", "preflight → transferring:", "transferring → flashing:", "flashing → rebooting:"],
            transitions.Select(m => m[..(m.IndexOf(':', StringComparison.Ordinal) + 1)]));
        Assert.Equal(DeviceJobStatus.Rebooting, (await engine.JobAsync(jobId)).Status);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task StepAsync_LateWriteOfALeaseThatExpiredMidStep_IsDropped(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        Assert.Equal([jobId], await engine.ClaimAsync(A));
        var seenByA = await engine.JobAsync(jobId);

        // A stalls mid-step; its lease expires and B does the step.
        engine.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await engine.StepUntilIdleAsync(B);
        Assert.Equal(DeviceJobStatus.Verifying, (await engine.JobAsync(jobId)).Status);
        var timelineBefore = (await engine.TimelineAsync(jobId)).Count;

        // A's write finally arrives, based on what it read before.
        var moved = await engine.WithAsync<DeviceJobStore, bool>(s => s.TransitionAsync(seenByA, DeviceJobStatus.Transferring,
            new JobTransition(DeviceJobStatus.Verifying, "late", engine.Now), A, CancellationToken.None));

        Assert.False(moved);
        Assert.Equal(timelineBefore, (await engine.TimelineAsync(jobId)).Count);
        Assert.Single(await engine.TransitionsAsync(jobId), m => m.StartsWith("transferring → verifying", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CreateAsync_DeviceAlreadyHasActiveJob_ReturnsDeviceBusyUntilTheFirstEnds(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var first = await engine.CreateJobAsync(device.Id, package.Id);
        Assert.NotNull(first.Job);

        var second = await engine.CreateJobAsync(device.Id, package.Id);

        Assert.Null(second.Job);
        Assert.Equal(CreateJobError.DeviceBusy, second.Error);
        Assert.Contains(first.Job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), second.Message);
        Assert.Equal(1, await engine.WithDbAsync(db => db.Set<DeviceJob>().CountAsync(j => j.DeviceId == device.Id)));

        Assert.Equal(CancelJobResult.Requested, await engine.WithAsync<DeviceJobService, CancelJobResult>(s => s.CancelAsync(first.Job.Id, "operator@test", CancellationToken.None)));
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Cancelled, (await engine.JobAsync(first.Job.Id)).Status);

        var third = await engine.CreateJobAsync(device.Id, package.Id);
        Assert.NotNull(third.Job);
        Assert.Null(third.Error);
        Assert.Equal(DeviceJobStatus.Queued, (await engine.JobAsync(third.Job.Id)).Status);
        Assert.Equal(1, await engine.WithDbAsync(db => db.Set<DeviceJob>().CountAsync(j => j.ActiveDeviceId == device.Id)));
    }
}
