using System.Diagnostics.Metrics;
using Nova.Firmware.Engine.Tests.Infrastructure;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Telemetry;

public sealed class EngineMetricsTests
{
    private static async Task<MeasurementRecorder> RecordAsync(EngineHarness engine) =>
        new(await engine.WithAsync<IMeterFactory, IMeterFactory>(Task.FromResult));

    [Fact]
    public async Task ClaimDueAsync_LeaseOfAnotherReplicaExpired_CountsOneTakeOver()
    {
        await using var engine = await EngineHarness.StartAsync();
        using var recorder = await RecordAsync(engine);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));

        // Replica A stops without giving the lease back; B claims the job once the lease has run out.
        engine.Time.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaB));

        var takeOver = Assert.Single(recorder.Of("nova.lease.takeovers"));
        Assert.Equal(1, takeOver.Value);
        Assert.Equal("device-job", takeOver.Tags["nova.lease.kind"]);
    }

    [Fact]
    public async Task ClaimDueAsync_OwnExpiredLeaseOrFreeJob_CountsNoTakeOver()
    {
        await using var engine = await EngineHarness.StartAsync();
        using var recorder = await RecordAsync(engine);
        var device = await engine.SeedDeviceAsync();
        var package = await engine.SeedPackageAsync();
        var jobId = (await engine.CreateJobAsync(device.Id, package.Id)).Job!.Id;
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        engine.Time.Advance(engine.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));

        Assert.Empty(recorder.Of("nova.lease.takeovers"));
    }

    [Fact]
    public async Task StepAsync_DeviceReportsHashMismatch_CountsFailedWithCauseAndEachStepsDuration()
    {
        await using var engine = await EngineHarness.StartAsync();
        using var recorder = await RecordAsync(engine);
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Time.Advance(TimeSpan.FromSeconds(42));
        await engine.FeedbackAsync(jobId, E.Closed, F.Failure, "ERROR : HASH mismatch : 1111 <--> 2222");
        await engine.StepUntilIdleAsync();

        var transitions = recorder.Of("nova.device_job.transitions");
        Assert.Equal(["preflight", "transferring", "failed"], transitions.Select(t => t.Tags["nova.job.status"]));
        Assert.Equal("checksum-mismatch", transitions[^1].Tags["error.type"]);
        Assert.DoesNotContain("error.type", transitions[0].Tags.Keys);
        var transfer = Assert.Single(recorder.Of("nova.device_job.step.duration"), m => m.Tags["nova.job.step"] == "transferring");
        Assert.Equal(42, transfer.Value, precision: 3);
        Assert.Equal("failed", transfer.Tags["nova.job.status"]);
        Assert.Contains(recorder.Of("nova.preflight.checks"), m => m.Tags["nova.preflight.check"] == "space" && m.Tags["nova.preflight.outcome"] == "pass");
    }
}
