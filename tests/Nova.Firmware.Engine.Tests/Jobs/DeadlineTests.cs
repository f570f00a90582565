using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Engine.Tests.Infrastructure;
using Nova.Firmware.Protocols.Ddi;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Jobs;

/// <summary>
/// Every step deadline, each looked at one second before (still waiting) and one second after
/// (failed with the cause the evidence supports). The clock is fake; nothing here sleeps.
/// </summary>
public sealed class DeadlineTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Transfer_DeviceNeverReports_WaitsUntilDeadlineThenFailsUnreachable()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        var started = (await engine.JobAsync(jobId)).StepStartedAt;
        var deadline = engine.Options.Deadlines.Transfer;

        engine.AdvanceTo(started + deadline - Second);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Transferring, (await engine.JobAsync(jobId)).Status);

        engine.AdvanceTo(started + deadline + Second);
        await engine.StepUntilIdleAsync();
        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(FailureCause.Unreachable, job.Cause);
        Assert.Null(job.ActiveDeviceId);
        Assert.Contains("in step transferring", job.StatusReason);
    }

    [Fact]
    public async Task Transfer_DevicePollsButNeverDownloads_FailsAtDeadlineNotUnreachable()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync();
        var started = (await engine.JobAsync(jobId)).StepStartedAt;

        engine.AdvanceTo(started + TimeSpan.FromMinutes(10));
        await engine.PollAsync(device.Id);
        engine.AdvanceTo(started + engine.Options.Deadlines.Transfer + Second);
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(FailureCause.Unknown, job.Cause);
    }

    [Fact]
    public async Task Flashing_DeviceGoesQuietAfterDownload_WaitsFlashPlusRebootThenFailsAsAPowerLossSuspect()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.FeedbackAsync(jobId, E.Downloaded, F.None, "Download complete.");
        await engine.StepUntilIdleAsync();
        var flashing = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Flashing, flashing.Status);
        var deadline = engine.Options.Deadlines.Flash + engine.Options.Deadlines.Reboot;

        // Past the Flash deadline alone: a pull device is quiet while it writes and reboots.
        engine.AdvanceTo(flashing.StepStartedAt + deadline - Second);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Flashing, (await engine.JobAsync(jobId)).Status);

        engine.AdvanceTo(flashing.StepStartedAt + deadline + Second);
        await engine.StepUntilIdleAsync();
        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        // The article's "device vanishes mid-flash": power is named, but not with certainty.
        Assert.Equal(FailureCause.PowerLoss, job.Cause);
        Assert.InRange(job.CauseConfidence ?? 0, 0.5, 0.69);
        Assert.Contains(job.CauseEvidence ?? [], e => e.Contains("fell silent while writing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rebooting_DeviceComesBackAfterPowerLoss_FailsAtRebootDeadlineWithPowerLoss()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.FeedbackAsync(jobId, E.Proceeding, F.None, "All Chunks Installed.");
        await engine.StepUntilIdleAsync();
        var rebooting = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Rebooting, rebooting.Status);
        var deadline = engine.Options.Deadlines.Reboot;

        // The device returns on its old version, reset by a power loss, and never confirms the update.
        engine.Advance(TimeSpan.FromMinutes(3));
        await engine.ReportAsync(device.Id, version: "1.0.0", resetReason: "power-loss");
        engine.AdvanceTo(rebooting.StepStartedAt + deadline - Second);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Rebooting, (await engine.JobAsync(jobId)).Status);

        engine.AdvanceTo(rebooting.StepStartedAt + deadline + Second);
        await engine.StepUntilIdleAsync();
        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(FailureCause.PowerLoss, job.Cause);
        Assert.Contains("power-loss", job.StatusReason);
    }

    [Fact]
    public async Task Rebooting_PowerLossReportedBeforeTheStepStarted_IsNotBlamed()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync();
        // An old power event, reported during the transfer: not evidence about the reboot.
        await engine.ReportAsync(device.Id, resetReason: "power-loss");
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.FeedbackAsync(jobId, E.Proceeding, F.None, "All Chunks Installed.");
        await engine.StepUntilIdleAsync();
        var rebooting = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Rebooting, rebooting.Status);

        engine.AdvanceTo(rebooting.StepStartedAt + engine.Options.Deadlines.Reboot + Second);
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(FailureCause.Unreachable, job.Cause);
    }

    [Fact]
    public async Task Health_DeviceReportsSuccessButNeverItsVersion_WaitsUntilHealthDeadlineThenFails()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        await engine.StepUntilIdleAsync();
        var verifying = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Verifying, verifying.Status);
        var deadline = engine.Options.Deadlines.Health;

        engine.AdvanceTo(verifying.StepStartedAt + deadline - Second);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Verifying, (await engine.JobAsync(jobId)).Status);

        engine.AdvanceTo(verifying.StepStartedAt + deadline + Second);
        await engine.StepUntilIdleAsync();
        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        // Its success report is no proof it came back: it never checked in after it.
        Assert.Equal(FailureCause.Unreachable, job.Cause);
        Assert.Contains("Not verified", job.StatusReason);
    }

    [Fact]
    public async Task Health_DeviceBackOnNewVersionInNormalMode_Succeeds()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        await engine.StepUntilIdleAsync();

        engine.Advance(TimeSpan.FromSeconds(30));
        await engine.ReportAsync(device.Id, version: "2.0.0", bootMode: "normal", led: "solid");
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Succeeded, job.Status);
        Assert.Null(job.Cause);
        Assert.Null(job.ActiveDeviceId);
    }

    [Fact]
    public async Task Health_AbDeviceSeenOnOldVersion_FailsBootFailureImmediately()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync(d => d.AbSlots(inactiveVersion: "0.9.0"));
        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        await engine.StepUntilIdleAsync();
        var verifying = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Verifying, verifying.Status);

        // Back after ten seconds, long before the health deadline, on the old slot: the new one did not boot.
        engine.Advance(TimeSpan.FromSeconds(10));
        await engine.ReportAsync(device.Id, version: "1.0.0", inactiveVersion: "2.0.0");
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.True(engine.Now - verifying.StepStartedAt < engine.Options.Deadlines.Health);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(FailureCause.BootFailure, job.Cause);
        Assert.Contains("fell back", job.StatusReason);
    }

    [Fact]
    public async Task Health_DeviceBackAndPollingButNeverReportsItsVersion_UnknownNotBootFailure()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (device, jobId) = await engine.StartTransferAsync();
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Verifying, (await engine.JobAsync(jobId)).Status);

        // It polls, healthy, but never sends a version: nothing says the new image failed to boot.
        engine.Advance(TimeSpan.FromSeconds(30));
        await engine.PollAsync(device.Id);
        engine.Advance(engine.Options.Deadlines.Health);
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(FailureCause.Unknown, job.Cause);
    }

    [Fact]
    public async Task CleanUp_SpaceNeverFreed_WaitsUntilCleanUpDeadlineThenBlocksOnSpace()
    {
        await using var engine = await EngineHarness.StartAsync();
        var device = await engine.SeedDeviceAsync(d => d.Protocol(DeviceProtocol.Onvif).FreeBytes(16L << 20));
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        await engine.StepUntilIdleAsync();
        var cleaning = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.CleaningUp, cleaning.Status);
        Assert.Equal(engine.Options.Preflight.RequiredFreeBytes(package.Size) - (16L << 20), Assert.Single(engine.Push.CleanUpRequests));
        var deadline = engine.Options.Deadlines.CleanUp;

        engine.AdvanceTo(cleaning.StepStartedAt + deadline - Second);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.CleaningUp, (await engine.JobAsync(jobId)).Status);

        engine.AdvanceTo(cleaning.StepStartedAt + deadline + Second);
        await engine.StepUntilIdleAsync();
        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Blocked, job.Status);
        Assert.Equal(PreflightCheck.Space, job.BlockingCheck);
        Assert.Equal(0, engine.Push.Transfers);
    }

    [Fact]
    public async Task CleanUp_SpaceFreedBeforeDeadline_ChecksAgainAndTransfers()
    {
        await using var engine = await EngineHarness.StartAsync();
        var device = await engine.SeedDeviceAsync(d => d.Protocol(DeviceProtocol.Onvif).FreeBytes(16L << 20));
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.CleaningUp, (await engine.JobAsync(jobId)).Status);

        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.SetFreeBytesAsync(device.Id, 200L << 20);
        await engine.StepUntilIdleAsync();

        // The fake push driver's transfer is accepted and written at once: the job follows the reboot.
        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Rebooting, job.Status);
        Assert.Equal(1, engine.Push.Transfers);
        Assert.Single(engine.Push.CleanUpRequests);
    }

    [Fact]
    public async Task ModelDeadlines_ShorterTransferForOneModel_FailsEarlierOnlyForThatModel()
    {
        await using var engine = await EngineHarness.StartAsync(o => o.ModelDeadlines["GW-200"] = new() { Transfer = TimeSpan.FromMinutes(5) });
        var (_, gatewayJob) = await engine.StartTransferAsync(d => d.Model("GW-200"));
        var (_, cameraJob) = await engine.StartTransferAsync();
        var started = (await engine.JobAsync(gatewayJob)).StepStartedAt;

        engine.AdvanceTo(started + TimeSpan.FromMinutes(5) - Second);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Transferring, (await engine.JobAsync(gatewayJob)).Status);

        engine.AdvanceTo(started + TimeSpan.FromMinutes(5) + Second);
        await engine.StepUntilIdleAsync();
        var gateway = await engine.JobAsync(gatewayJob);
        Assert.Equal(DeviceJobStatus.Failed, gateway.Status);
        Assert.Equal(FailureCause.Unreachable, gateway.Cause);
        Assert.Equal(DeviceJobStatus.Transferring, (await engine.JobAsync(cameraJob)).Status);

        engine.AdvanceTo(started + engine.Options.Deadlines.Transfer + Second);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Failed, (await engine.JobAsync(cameraJob)).Status);
    }
}
