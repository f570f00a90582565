using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Tests.Infrastructure;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>
/// The hand-over from a failed device job to its recovery run: written in the transaction that
/// fails the job, one run per failure, none for any other end, and a device in recovery takes no new job.
/// </summary>
public sealed class HandOverTests
{
    public static TheoryData<DatabaseProvider> Databases => TestDatabases.All;

    [Fact]
    public async Task FailedJob_CreatesOneRunInDiagnosingWithTheJobsCause()
    {
        await using var engine = await EngineHarness.StartAsync();

        var (device, job, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");

        Assert.Equal(FailureCause.ChecksumMismatch, job.Cause);
        Assert.Single(await engine.RunsAsync(device.Id));
        Assert.Equal(RecoveryRung.Diagnosing, run.Rung);
        Assert.Equal(job.Cause, run.Cause);
        Assert.Equal(job.Id, run.FailedJobId);
        Assert.Equal(job.PackageId, run.PackageId);
        Assert.Equal("2.0.0", run.IntendedVersion);
        Assert.Equal(device.Id, run.ActiveDeviceId);
        Assert.Equal(job.UpdatedAt, run.CreatedAt);
        Assert.Equal(engine.Now, run.NextActionAt);
        Assert.Null(run.RetryJobId);
        Assert.False(run.ReattemptIntended);
        Assert.Null(run.LeaseOwner);
    }

    [Fact]
    public async Task FailedJob_ReattemptDefaultComesFromTheSettings()
    {
        await using var engine = await EngineHarness.StartAsync(recovery: o => o.ReattemptIntended = true);

        var (_, _, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");

        Assert.True(run.ReattemptIntended);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task FailedJob_TwoReplicasWriteTheFailureAtOnce_StillOneRun(DatabaseProvider database)
    {
        await using var engine = await EngineHarness.StartAsync(database: database);
        var (device, jobId) = await engine.StartTransferAsync();
        engine.Advance(engine.Options.QuietRecheckInterval);
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        var job = await engine.JobAsync(jobId);
        var failure = new JobTransition(DeviceJobStatus.Failed, "HASH mismatch", engine.Now, FailureCause.ChecksumMismatch);

        // The same step run twice (a replica whose step outlived its lease, or ran again after a crash): each in its own scope.
        var moves = await Task.WhenAll(
            engine.WithAsync<DeviceJobStore, bool>(s => s.TransitionAsync(job, DeviceJobStatus.Transferring, failure, EngineHarness.ReplicaA, CancellationToken.None)),
            engine.WithAsync<DeviceJobStore, bool>(s => s.TransitionAsync(job, DeviceJobStatus.Transferring, failure, EngineHarness.ReplicaA, CancellationToken.None)));

        Assert.Single(moves, m => m);
        var run = Assert.Single(await engine.RunsAsync(device.Id));
        Assert.Equal(jobId, run.FailedJobId);
        Assert.Equal(FailureCause.ChecksumMismatch, run.Cause);
        Assert.Single(await engine.TransitionsAsync(jobId), t => t.StartsWith("transferring → failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedJob_StepLostItsLeaseToAnotherReplica_OnlyTheOwnerFailsItAndOneRunExists()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromSeconds(5));
        await engine.FeedbackAsync(jobId, E.Closed, F.Failure, "ERROR : HASH mismatch : 1f2e <--> 9a8b");
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        var seenByA = await engine.JobAsync(jobId);

        // A's step is slow; its lease runs out and B fails the job.
        engine.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await engine.StepUntilIdleAsync(EngineHarness.ReplicaB);
        var movedByA = await engine.WithAsync<DeviceJobStore, bool>(s => s.TransitionAsync(seenByA, DeviceJobStatus.Transferring,
            new JobTransition(DeviceJobStatus.Failed, "late", engine.Now, FailureCause.ChecksumMismatch), EngineHarness.ReplicaA, CancellationToken.None));
        await engine.StepUntilIdleAsync(EngineHarness.ReplicaA);

        Assert.False(movedByA);
        Assert.Equal(DeviceJobStatus.Failed, (await engine.JobAsync(jobId)).Status);
        Assert.Single(await engine.RunsAsync(device.Id));
    }

    [Fact]
    public async Task SucceededJob_CreatesNoRun()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        await engine.StepUntilIdleAsync();
        engine.Advance(TimeSpan.FromSeconds(30));
        await engine.ReportAsync(device.Id, version: "2.0.0");
        await engine.StepUntilIdleAsync();

        Assert.Equal(DeviceJobStatus.Succeeded, (await engine.JobAsync(jobId)).Status);
        Assert.Empty(await engine.RunsAsync(device.Id));
    }

    [Fact]
    public async Task BlockedJob_CreatesNoRun()
    {
        await using var engine = await EngineHarness.StartAsync();
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        engine.Blobs.Intact = false;

        await engine.StepUntilIdleAsync();

        Assert.Equal(DeviceJobStatus.Blocked, (await engine.JobAsync(jobId)).Status);
        Assert.Empty(await engine.RunsAsync(device.Id));
    }

    [Fact]
    public async Task CancelledJob_CreatesNoRun()
    {
        await using var engine = await EngineHarness.StartAsync();
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal(CancelJobResult.Requested, await engine.WithAsync<DeviceJobService, CancelJobResult>(s => s.CancelAsync(jobId, "operator@test", CancellationToken.None)));

        await engine.StepUntilIdleAsync();

        Assert.Equal(DeviceJobStatus.Cancelled, (await engine.JobAsync(jobId)).Status);
        Assert.Empty(await engine.RunsAsync(device.Id));
    }

    [Fact]
    public async Task DeviceInRecovery_RefusesANewJob()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, _, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");
        var other = await engine.SeedPackageAsync("2.0.1");

        var created = await engine.CreateJobAsync(device.Id, other.Id);

        Assert.Null(created.Job);
        Assert.Equal(CreateJobError.DeviceBusy, created.Error);
        Assert.Contains($"recovery run {run.Id}", created.Message);
        Assert.Equal(0, await engine.WithDbAsync(db => db.Set<DeviceJob>().CountAsync(j => j.ActiveDeviceId == device.Id)));
    }

    [Fact]
    public async Task DeviceWhoseRunEnded_TakesANewJobAgain()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, _, run) = await engine.FailJobAsync(null, "ERROR : HASH mismatch : 1f2e <--> 9a8b");
        var closed = await engine.WithAsync<Engine.Recovery.RecoveryService, Engine.Recovery.RecoveryActionResult>(s => s.CloseAsync(run.Id, "operator@test", "flashing by hand", CancellationToken.None));
        var other = await engine.SeedPackageAsync("2.0.1");

        var created = await engine.CreateJobAsync(device.Id, other.Id);

        Assert.Null(closed.Error);
        Assert.Equal(RecoveryRung.Closed, (await engine.RunAsync(run.Id)).Rung);
        Assert.Null(created.Error);
        Assert.NotNull(created.Job);
    }
}
