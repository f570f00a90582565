using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Tests.Infrastructure;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Jobs;

/// <summary>Cancelling is honoured blindly only while nothing can have reached the device.</summary>
public sealed class CancelTests
{
    private static Task<CancelJobResult> CancelAsync(EngineHarness engine, long jobId) =>
        engine.WithAsync<DeviceJobService, CancelJobResult>(s => s.CancelAsync(jobId, "operator@test", CancellationToken.None));

    [Fact]
    public async Task CancelAsync_Queued_CancelledAtNextStep()
    {
        await using var engine = await EngineHarness.StartAsync();
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;

        Assert.Equal(CancelJobResult.Requested, await CancelAsync(engine, jobId));
        Assert.Equal(DeviceJobStatus.Queued, (await engine.JobAsync(jobId)).Status);
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Cancelled, job.Status);
        Assert.Null(job.ActiveDeviceId);
        Assert.Equal(CancelJobResult.AlreadyFinished, await CancelAsync(engine, jobId));
    }

    [Fact]
    public async Task CancelAsync_Preflight_CancelledAtNextStepWithoutTransfer()
    {
        await using var engine = await EngineHarness.StartAsync();
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        await engine.StepAsync(jobId, EngineHarness.ReplicaA);
        await engine.ReleaseLeaseAsync(jobId, EngineHarness.ReplicaA);
        Assert.Equal(DeviceJobStatus.Preflight, (await engine.JobAsync(jobId)).Status);

        Assert.Equal(CancelJobResult.Requested, await CancelAsync(engine, jobId));
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Cancelled, job.Status);
        Assert.Null(job.PreFlashSnapshot);
        Assert.DoesNotContain(await engine.TransitionsAsync(jobId), m => m.Contains("→ transferring", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancelAsync_TransferringActionNotYetServed_CancelledAtNextStep()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();

        Assert.Equal(CancelJobResult.Requested, await CancelAsync(engine, jobId));
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Cancelled, job.Status);
        Assert.Contains("before the device fetched", job.StatusReason);
    }

    [Fact]
    public async Task CancelAsync_TransferringActionServed_StaysTransferringUntilDeviceConfirms()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromSeconds(5));
        await engine.ServeActionAsync(jobId);

        Assert.Equal(CancelJobResult.Requested, await CancelAsync(engine, jobId));
        await engine.StepUntilIdleAsync();
        engine.Advance(TimeSpan.FromSeconds(10));
        await engine.StepUntilIdleAsync();
        var waiting = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Transferring, waiting.Status);
        Assert.True(waiting.CancelRequested);

        await engine.FeedbackAsync(jobId, E.Closed, F.Success, cancel: true, "cancellation acknowledged.");
        await engine.StepUntilIdleAsync();

        var job = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Cancelled, job.Status);
        Assert.Null(job.ActiveDeviceId);
    }

    [Fact]
    public async Task CancelAsync_Flashing_ReturnsTooLateAndChangesNothing()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromMinutes(1));
        await engine.FeedbackAsync(jobId, E.Downloaded, F.None, "Download complete.");
        await engine.StepUntilIdleAsync();
        var before = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Flashing, before.Status);
        var timelineBefore = (await engine.TimelineAsync(jobId)).Count;

        Assert.Equal(CancelJobResult.TooLate, await CancelAsync(engine, jobId));

        var after = await engine.JobAsync(jobId);
        Assert.Equal(DeviceJobStatus.Flashing, after.Status);
        Assert.False(after.CancelRequested);
        Assert.Equal(timelineBefore, (await engine.TimelineAsync(jobId)).Count);
    }
}
