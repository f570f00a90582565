using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Preflight;
using Nova.Firmware.Engine.Tests.Infrastructure;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Jobs;

/// <summary>What the device says moves the job at once, with the cause read from all of its feedback.</summary>
public sealed class ObservationTests
{
    [Theory]
    [InlineData("ERROR : HASH mismatch : 1f2e <--> 9a8b", FailureCause.ChecksumMismatch)]
    [InlineData("ERROR : SW not compatible with hardware", FailureCause.WrongHardware)]
    [InlineData("ERROR : Channel get operation aborted because of too many failed download attempts (2). ", FailureCause.ChecksumMismatch)]
    public async Task StepAsync_FailureSpreadOverSeveralPosts_FailsAtOnceWithCauseFromEarlierPost(string telling, FailureCause expected)
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromSeconds(5));
        await engine.ServeActionAsync(jobId);
        await engine.FeedbackAsync(jobId, E.Proceeding, F.None, "Installing Update Chunk Artifacts.");
        await engine.FeedbackAsync(jobId, E.Proceeding, F.None, "[read_state] : Key  ustate  not found in Bootloader s environment.", "ERROR : Cannot read stored update state.", telling);
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Transferring, (await engine.JobAsync(jobId)).Status);

        await engine.FeedbackAsync(jobId, E.Closed, F.Failure, "No suitable .swu image found");
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Failed, job.Status);
        Assert.Equal(expected, job.Cause);
        Assert.Contains(telling.Trim(), job.StatusReason);
        Assert.Null(job.ActiveDeviceId);
    }

    [Fact]
    public async Task StepAsync_DownloadedInstalledAndClosedInOneBatch_WalksEveryStepToVerifying()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.FeedbackAsync(jobId, E.Downloaded, F.None, "Download complete.");
        await engine.FeedbackAsync(jobId, E.Proceeding, F.None, "All Chunks Installed.");
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");

        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Verifying, job.Status);
        Assert.Equal(["transferring → flashing:", "flashing → rebooting:", "rebooting → verifying:"],
            (await engine.TransitionsAsync(jobId)).Skip(3).Select(m => m[..(m.IndexOf(':', StringComparison.Ordinal) + 1)]));
    }

    [Fact]
    public async Task StepAsync_StoredBlobCorrupted_BlockedOnChecksumBeforeAnyTransfer()
    {
        await using var engine = await EngineHarness.StartAsync();
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        engine.Blobs.Intact = false;

        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Blocked, job.Status);
        Assert.Equal(PreflightCheck.Checksum, job.BlockingCheck);
        Assert.Null(job.PreFlashSnapshot);
        Assert.Null(job.ActiveDeviceId);
    }
}
