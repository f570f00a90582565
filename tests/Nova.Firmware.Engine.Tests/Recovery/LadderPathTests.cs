using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Recovery;
using Nova.Firmware.Engine.Tests.Infrastructure;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>The ways up the ladder, one cause at a time, from the failed job to where the run ends.</summary>
public sealed class LadderPathTests
{
    private const string NoSpace = "ERROR : No space left on device";
    private const string HashMismatch = "ERROR : HASH mismatch : 1f2e <--> 9a8b";
    private const string WrongBoard = "ERROR : SW not compatible with hardware";

    private static Task<RecoveryActionResult> ApproveAsync(EngineHarness engine, long runId) =>
        engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.ApproveAsync(runId, "operator@test", CancellationToken.None));

    /// <summary>A retry job the run started: served, reported installed, and the device back on <paramref name="version"/>.</summary>
    private static async Task SucceedAsync(EngineHarness engine, Guid deviceId, long jobId, string version)
    {
        await engine.SettleAsync();
        var started = await engine.JobAsync(jobId);
        Assert.True(started.Status == DeviceJobStatus.Transferring, $"{started.Status}: {started.StatusReason}");
        engine.Advance(TimeSpan.FromMinutes(2));
        await engine.ServeActionAsync(jobId);
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        await engine.SettleAsync();
        engine.Advance(TimeSpan.FromSeconds(30));
        await engine.ReportAsync(deviceId, version: version);
        await engine.SettleAsync();
        Assert.Equal(DeviceJobStatus.Succeeded, (await engine.JobAsync(jobId)).Status);
    }

    // ---- Power loss: self-recovery, verify, re-attempt ----

    [Fact]
    public async Task PowerLoss_DeviceBackByItselfDuringTheWait_VerifiedAndRecoveredOnTheVersionItRuns()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailJobAsync(d => d.AbSlots("0.9.0"), LadderDeadlineTests.PowerLoss);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.WaitingForSelfRecovery, (await engine.RunAsync(run.Id)).Rung);
        Assert.Equal(HealthStatus.Degraded, (await engine.DeviceAsync(device.Id)).Health.Status);

        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.ReportAsync(device.Id, version: "1.0.0", inactiveVersion: "2.0.0", led: "solid");
        await engine.StepRecoveryUntilIdleAsync();

        var recovered = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Recovered, recovered.Rung);
        Assert.Equal("1.0.0", recovered.RecoveredVersion);
        Assert.Null(recovered.ActiveDeviceId);
        Assert.Contains("re-attempt not chosen", recovered.StatusReason);
        Assert.Equal(0, recovered.Retries);
        Assert.Equal(HealthStatus.Healthy, (await engine.DeviceAsync(device.Id)).Health.Status);
        var changes = await engine.RungChangesAsync(run);
        Assert.Equal(["diagnosing → waiting-for-self-recovery", "waiting-for-self-recovery → verifying", "verifying → recovered"],
            changes.Select(m => m["recovery ".Length..m.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Contains("Self-recovery: the device came back by itself after 4 min", changes[1]);
        Assert.All(await engine.WithDbAsync(db => db.Set<TimelineEntry>().AsNoTracking().Where(t => t.Kind == TimelineEntryKind.Recovery).ToListAsync()),
            t => Assert.Equal(job.Id, t.JobId));
        // The device takes a new job again.
        Assert.Null((await engine.CreateJobAsync(device.Id, job.PackageId)).Error);
    }

    [Fact]
    public async Task PowerLoss_ReattemptChosenAndDeviceBackOnTheOldVersion_RetriesWithARunJobAndRecoversOnTheIntendedVersion()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailJobAsync(d => d.AbSlots("0.9.0"), LadderDeadlineTests.PowerLoss);
        var chosen = await engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.SetReattemptAsync(run.Id, true, "operator@test", CancellationToken.None));
        Assert.Null(chosen.Error);
        await engine.StepRecoveryUntilIdleAsync();

        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.ReportAsync(device.Id, version: "1.0.0", inactiveVersion: "2.0.0");
        await engine.StepRecoveryUntilIdleAsync();

        var retrying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Retrying, retrying.Rung);
        Assert.Equal(1, retrying.Retries);
        var retryJobId = Assert.IsType<long>(retrying.RetryJobId);
        var retry = await engine.JobAsync(retryJobId);
        Assert.NotEqual(job.Id, retry.Id);
        Assert.Equal(run.Id, retry.RecoveryRunId);
        Assert.Equal(job.PackageId, retry.PackageId);
        Assert.Equal("2.0.0", retry.TargetVersion);
        Assert.Equal("1.0.0", retry.PreviousVersion);
        Assert.Equal($"recovery run {run.Id}", retry.CreatedBy);
        Assert.Equal(device.Id, retry.ActiveDeviceId);

        await SucceedAsync(engine, device.Id, retryJobId, "2.0.0");

        var recovered = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Recovered, recovered.Rung);
        Assert.Equal("2.0.0", recovered.RecoveredVersion);
        Assert.Single(await engine.RunsAsync(device.Id));
    }

    [Fact]
    public async Task RetryJob_FailsAgain_WakesItsRunAndStartsNoSecondRun()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, _, run) = await engine.FailJobAsync(null, HashMismatch);
        await engine.StepRecoveryUntilIdleAsync();
        var retryJobId = (await engine.RunAsync(run.Id)).RetryJobId!.Value;
        await engine.SettleAsync();
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.ServeActionAsync(retryJobId);
        await engine.FeedbackAsync(retryJobId, E.Closed, F.Failure, HashMismatch);

        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Failed, (await engine.JobAsync(retryJobId)).Status);
        Assert.Equal(engine.Now, (await engine.RunAsync(run.Id)).NextActionAt);
        await engine.StepRecoveryUntilIdleAsync();

        Assert.Single(await engine.RunsAsync(device.Id));
        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        Assert.Equal(PreflightCheck.Checksum, blocked.BlockingCheck);
        Assert.Contains("Two clean transfers arrived damaged", blocked.StatusReason);
    }

    [Fact]
    public async Task Close_WhileItsRetryJobIsQueued_TheJobIsCancelledAndTheDeviceFree()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailJobAsync(null, HashMismatch);
        await engine.StepRecoveryUntilIdleAsync();
        var retryJobId = (await engine.RunAsync(run.Id)).RetryJobId!.Value;

        var closed = await engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.CloseAsync(run.Id, "operator@test", "flashing by hand", CancellationToken.None));
        await engine.SettleAsync();

        Assert.Null(closed.Error);
        Assert.Contains($"its device job {retryJobId} was asked to cancel", closed.Message);
        Assert.Equal(RecoveryRung.Closed, (await engine.RunAsync(run.Id)).Rung);
        Assert.Equal(DeviceJobStatus.Cancelled, (await engine.JobAsync(retryJobId)).Status);
        // Nothing holds the device any more.
        Assert.Null((await engine.CreateJobAsync(device.Id, job.PackageId)).Error);
    }

    // ---- Recovery partition and TFTP re-flash ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reflashing_DeviceInRecoveryPullsTheStockImageOverTftpAndComesBack_RecoveredOrReattempted(bool reattempt)
    {
        await using var engine = await EngineHarness.StartAsync(recovery: o => o.ReattemptIntended = reattempt);
        var stock = await LadderDeadlineTests.SeedStockImageAsync(engine);
        var (device, job, run) = await engine.FailPushJobAsync(d => d.RemoteRecoveryTrigger().RecoveryPartition(), "ERROR : failed to boot the new image");
        Assert.Equal(FailureCause.BootFailure, job.Cause);
        // Found in its recovery partition after the failed boot: nothing to tell it, only to watch for its pull.
        engine.Push.Answer(version: "1.0.0", bootMode: "recovery");

        await engine.StepRecoveryUntilIdleAsync();

        var reflashing = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Reflashing, reflashing.Rung);
        Assert.Equal(0, engine.Push.RecoveryTriggers);
        Assert.DoesNotContain(await engine.CommandsAsync(job.Id), c => c.Step == RecoveryStepper.RecoveryCommand);
        Assert.Equal(HealthStatus.Degraded, (await engine.DeviceAsync(device.Id)).Health.Status);

        engine.Advance(TimeSpan.FromMinutes(3));
        var pulled = $"TFTP: '{stock.FileName}' sent to 10.0.0.9:3456: {stock.Size} bytes in 41.2 s.";
        await engine.WithAsync<Engine.Observations.IObservationSink>(s => s.RecordAsync(new Domain.Drivers.DeviceObservation(device.Id, TimelineEntryKind.Transfer, pulled), CancellationToken.None));
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.Reflashing, (await engine.RunAsync(run.Id)).Rung);
        Assert.Contains(pulled, (await engine.RunAsync(run.Id)).StatusReason);

        engine.Advance(TimeSpan.FromMinutes(2));
        engine.Push.Answer(version: "1.0.0-stock", bootMode: "normal", led: "solid");
        await engine.StepRecoveryUntilIdleAsync();

        var after = await engine.RunAsync(run.Id);
        Assert.Contains(await engine.RungChangesAsync(run), m => m.StartsWith("recovery reflashing → verifying: The device is re-flashed over TFTP", StringComparison.Ordinal));
        Assert.Equal(HealthStatus.Healthy, (await engine.DeviceAsync(device.Id)).Health.Status);
        if (!reattempt)
        {
            Assert.Equal(RecoveryRung.Recovered, after.Rung);
            Assert.Equal("1.0.0-stock", after.RecoveredVersion);
            return;
        }
        Assert.Equal(RecoveryRung.Retrying, after.Rung);
        var retry = await engine.JobAsync(after.RetryJobId!.Value);
        Assert.Equal(job.PackageId, retry.PackageId);
        Assert.Equal("1.0.0-stock", retry.PreviousVersion);
    }

    [Fact]
    public async Task BootingRecovery_TftpServerOff_TechnicianTaskSaysSo()
    {
        await using var engine = await EngineHarness.StartAsync(recovery: o => o.TftpServer = null);
        await LadderDeadlineTests.SeedStockImageAsync(engine);
        var (_, _, run) = await engine.FailJobAsync(d => d.RecoveryPartition(), LadderDeadlineTests.PowerLoss);

        await engine.StepRecoveryUntilIdleAsync();

        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingTechnician, waiting.Rung);
        Assert.Contains("the TFTP server is off", waiting.StatusReason);
        Assert.Equal(0, waiting.RecoveryBoots);
        Assert.Contains(Assert.Single(await engine.TasksAsync(run.Id)).Steps, s => s.Contains("enable Nova Firmware's TFTP server first", StringComparison.Ordinal));
    }

    // ---- Insufficient space: clean up, retry once ----

    [Fact]
    public async Task InsufficientSpace_DriverCanCleanUp_CleanUpIssuedOnceThenRetry()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailPushJobAsync(null, NoSpace);
        Assert.Equal(FailureCause.InsufficientSpace, job.Cause);
        var free = 16L << 20;
        await engine.SetFreeBytesAsync(device.Id, free);
        var needed = engine.Options.Preflight.RequiredFreeBytes((await engine.PackageAsync(job.PackageId)).Size);

        await engine.StepRecoveryUntilIdleAsync();
        engine.Advance(engine.Recovery.RecheckInterval);
        await engine.StepRecoveryUntilIdleAsync();

        Assert.Equal(RecoveryRung.CleaningUp, (await engine.RunAsync(run.Id)).Rung);
        Assert.Equal([needed - free], engine.Push.CleanUpRequests);
        var command = Assert.Single(await engine.CommandsAsync(job.Id), c => c.Step == RecoveryStepper.CleanUpCommand);
        Assert.Equal("recovery-clean-up", command.Step);
        Assert.Equal(EngineHarness.ReplicaA, command.IssuedBy);

        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.SetFreeBytesAsync(device.Id, 200L << 20);
        await engine.StepRecoveryUntilIdleAsync();

        var retrying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Retrying, retrying.Rung);
        var retry = await engine.JobAsync(retrying.RetryJobId!.Value);
        Assert.Equal(run.Id, retry.RecoveryRunId);
        Assert.Equal(job.PackageId, retry.PackageId);
        Assert.Single(engine.Push.CleanUpRequests);

        // The retry runs as any job: the fake push driver's upload is accepted and written.
        await engine.SettleAsync();
        Assert.Equal(DeviceJobStatus.Rebooting, (await engine.JobAsync(retry.Id)).Status);
        Assert.Equal(RecoveryRung.Retrying, (await engine.RunAsync(run.Id)).Rung);
    }

    [Fact]
    public async Task InsufficientSpace_FreedEnoughForTheImageButNotItsMargin_KeepsCleaningInsteadOfARetryThePreflightWouldRefuse()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailPushJobAsync(null, NoSpace);
        var size = (await engine.PackageAsync(job.PackageId)).Size;
        var free = size + (1L << 20);
        Assert.True(free < engine.Options.Preflight.RequiredFreeBytes(size));
        await engine.SetFreeBytesAsync(device.Id, free);

        await engine.StepRecoveryUntilIdleAsync();

        var run2 = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.CleaningUp, run2.Rung);
        Assert.Null(run2.RetryJobId);
        Assert.Equal([engine.Options.Preflight.RequiredFreeBytes(size) - free], engine.Push.CleanUpRequests);
    }

    [Fact]
    public async Task InsufficientSpace_DeviceOffersNoCleanUp_BlockedAtOnceWithTheShortfall()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailJobAsync(null, NoSpace);
        var free = 16L << 20;
        await engine.SetFreeBytesAsync(device.Id, free);

        await engine.StepRecoveryUntilIdleAsync();

        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        Assert.Equal(PreflightCheck.Space, blocked.BlockingCheck);
        Assert.Equal(engine.Options.Preflight.RequiredFreeBytes((await engine.PackageAsync(job.PackageId)).Size) - free, blocked.ShortfallBytes);
        Assert.Contains("web UI", blocked.StatusReason);
        Assert.DoesNotContain(await engine.CommandsAsync(job.Id), c => c.Step == RecoveryStepper.CleanUpCommand);
    }

    // ---- Checksum mismatch: quarantine a bad catalog copy, else retry from scratch ----

    [Fact]
    public async Task ChecksumMismatch_CatalogCopyNoLongerIntact_QuarantinedAndBlockedAndRefusedForNewJobs()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailJobAsync(null, HashMismatch);
        engine.Blobs.Intact = false;

        await engine.StepRecoveryUntilIdleAsync();

        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        Assert.Equal(PreflightCheck.Checksum, blocked.BlockingCheck);
        Assert.Equal(FailureCause.ChecksumMismatch, blocked.Cause);
        Assert.Null(blocked.RetryJobId);
        Assert.Contains("quarantined", blocked.StatusReason);
        var package = await engine.PackageAsync(job.PackageId);
        Assert.Equal(engine.Now, package.QuarantinedAt);
        Assert.Contains(package.Sha256, package.QuarantineReason);

        var refused = await engine.CreateJobAsync(device.Id, package.Id);
        Assert.Equal(CreateJobError.CannotRun, refused.Error);
        Assert.Contains("quarantined", refused.Message);
        var other = await engine.SeedDeviceAsync();
        Assert.Equal(CreateJobError.CannotRun, (await engine.CreateJobAsync(other.Id, package.Id)).Error);
    }

    [Fact]
    public async Task ChecksumMismatch_CatalogCopyIntact_RetriesFromScratchWithARunJob()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, job, run) = await engine.FailJobAsync(null, HashMismatch);

        await engine.StepRecoveryUntilIdleAsync();

        var retrying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Retrying, retrying.Rung);
        var retry = await engine.JobAsync(retrying.RetryJobId!.Value);
        Assert.Equal(run.Id, retry.RecoveryRunId);
        Assert.Equal(job.PackageId, retry.PackageId);
        Assert.Equal(DeviceJobStatus.Queued, retry.Status);
        Assert.Null((await engine.PackageAsync(job.PackageId)).QuarantinedAt);

        await SucceedAsync(engine, device.Id, retry.Id, "2.0.0");
        var recovered = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Recovered, recovered.Rung);
        Assert.Equal("2.0.0", recovered.RecoveredVersion);
    }

    // ---- Wrong hardware: propose, approve, never the same package ----

    [Fact]
    public async Task WrongHardware_CatalogHasAPackageForTheDevice_ProposedApprovedAndFlashed()
    {
        await using var engine = await EngineHarness.StartAsync(recovery: o => o.ReattemptIntended = true);
        var fitting = await engine.SeedPackageAsync("2.0.1");
        await engine.SeedPackageAsync("2.1.0", p => p.HardwareRevisions = ["2.0"]);
        await engine.SeedPackageAsync("2.2.0", p => { p.QuarantinedAt = engine.Now; p.QuarantineReason = "bad copy"; });
        var (device, job, run) = await engine.FailJobAsync(null, WrongBoard);
        Assert.Equal(FailureCause.WrongHardware, job.Cause);

        await engine.StepRecoveryUntilIdleAsync();

        var awaiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingApproval, awaiting.Rung);
        Assert.Equal(fitting.Id, awaiting.ProposedPackageId);
        Assert.Null(awaiting.RetryJobId);
        Assert.Contains("never flashed to this device again", awaiting.StatusReason);
        // Nothing moves without the operator, however long it waits.
        engine.Advance(TimeSpan.FromHours(2));
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.AwaitingApproval, (await engine.RunAsync(run.Id)).Rung);
        await engine.PollAsync(device.Id);

        var approved = await ApproveAsync(engine, run.Id);
        var again = await ApproveAsync(engine, run.Id);

        Assert.Null(approved.Error);
        Assert.Equal(RecoveryActionError.Conflict, again.Error);
        var retrying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Retrying, retrying.Rung);
        var retry = await engine.JobAsync(retrying.RetryJobId!.Value);
        Assert.Equal(fitting.Id, retry.PackageId);
        Assert.Equal("2.0.1", retry.TargetVersion);
        Assert.Equal(run.Id, retry.RecoveryRunId);
        Assert.Contains("operator@test", retry.CreatedBy);
        Assert.Single(await engine.WithDbAsync(db => db.Set<DeviceJob>().AsNoTracking().Where(j => j.RecoveryRunId == run.Id).ToListAsync()));

        await SucceedAsync(engine, device.Id, retry.Id, "2.0.1");
        var recovered = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Recovered, recovered.Rung);
        Assert.Equal("2.0.1", recovered.RecoveredVersion);
        // The package the device refused was never sent to it again, re-attempt or not.
        Assert.Equal(1, await engine.WithDbAsync(db => db.Set<DeviceJob>().CountAsync(j => j.DeviceId == device.Id && j.PackageId == job.PackageId)));
    }

    [Fact]
    public async Task WrongHardware_OperatorRejectsTheProposal_BlockedOnCompatibility()
    {
        await using var engine = await EngineHarness.StartAsync();
        await engine.SeedPackageAsync("2.0.1");
        var (_, _, run) = await engine.FailJobAsync(null, WrongBoard);
        await engine.StepRecoveryUntilIdleAsync();

        var rejected = await engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.RejectAsync(run.Id, "operator@test", CancellationToken.None));
        var approvedAfter = await ApproveAsync(engine, run.Id);

        Assert.Null(rejected.Error);
        Assert.Equal(RecoveryActionError.Conflict, approvedAfter.Error);
        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        Assert.Equal(PreflightCheck.Compatibility, blocked.BlockingCheck);
        Assert.Null(blocked.RetryJobId);
    }

    [Fact]
    public async Task WrongHardware_NoPackageForTheDevice_BlockedOnCompatibility()
    {
        await using var engine = await EngineHarness.StartAsync();
        await engine.SeedPackageAsync("2.1.0", p => p.Soc = "RV1126");
        var (device, job, run) = await engine.FailJobAsync(null, WrongBoard);

        await engine.StepRecoveryUntilIdleAsync();

        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        Assert.Equal(PreflightCheck.Compatibility, blocked.BlockingCheck);
        Assert.Null(blocked.ProposedPackageId);
        Assert.Contains("Axiom C200", blocked.StatusReason);
        Assert.Equal(RecoveryActionError.Conflict, (await ApproveAsync(engine, run.Id)).Error);
        Assert.Equal([job.Id], await engine.WithDbAsync(db => db.Set<DeviceJob>().Where(j => j.DeviceId == device.Id).Select(j => j.Id).ToListAsync()));
    }

    // ---- The loop itself ----

    [Fact]
    public async Task RecoveryLoop_Pass_ClaimsStepsAndReleasesDueRuns()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, _, run) = await engine.FailJobAsync(null, HashMismatch);

        var stepped = await engine.WithAsync<RecoveryLoop, int>(l => l.PassAsync(CancellationToken.None));

        Assert.Equal(1, stepped);
        var after = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Retrying, after.Rung);
        Assert.Null(after.LeaseOwner);
        Assert.Null(after.LeaseUntil);
    }
}
