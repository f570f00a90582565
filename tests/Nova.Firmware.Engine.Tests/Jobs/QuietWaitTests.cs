using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Engine.Tests.Infrastructure;
using E = Nova.Firmware.Protocols.Ddi.DdiValues.Execution;
using F = Nova.Firmware.Protocols.Ddi.DdiValues.Finished;

namespace Nova.Firmware.Engine.Tests.Jobs;

/// <summary>
/// A job waiting on a DDI device that is writing or rebooting is not re-stepped every re-check:
/// the device's own words make it due, and without them it is looked at only for its silence
/// deadline. Hundreds of such jobs in a rollout would otherwise take the loop's step slots.
/// </summary>
public sealed class QuietWaitTests
{
    [Fact]
    public async Task Flashing_NoNews_IsNotDueAgainUntilTheQuietRecheck()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromSeconds(5));
        await engine.FeedbackAsync(jobId, E.Downloaded, F.None, "Download complete.");
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Flashing, (await engine.JobAsync(jobId)).Status);

        engine.Advance(engine.Options.RecheckInterval * 3);
        Assert.Equal(0, await engine.StepUntilIdleAsync());

        engine.Advance(engine.Options.QuietRecheckInterval);
        Assert.Equal(1, await engine.StepUntilIdleAsync());
        Assert.Equal(DeviceJobStatus.Flashing, (await engine.JobAsync(jobId)).Status);
    }

    [Fact]
    public async Task Flashing_DeviceSpeaks_IsSteppedAtOnce()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(TimeSpan.FromSeconds(5));
        await engine.FeedbackAsync(jobId, E.Downloaded, F.None, "Download complete.");
        await engine.StepUntilIdleAsync();

        engine.Advance(TimeSpan.FromSeconds(1));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update successful.");
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        await engine.StepAsync(jobId, EngineHarness.ReplicaA);
        Assert.Equal(DeviceJobStatus.Verifying, (await engine.JobAsync(jobId)).Status);
    }

    [Fact]
    public async Task Transferring_DeadlineCloserThanQuietRecheck_IsLookedAtJustPastItAndFails()
    {
        await using var engine = await EngineHarness.StartAsync(o => o.QuietRecheckInterval = TimeSpan.FromHours(1));
        var (_, jobId) = await engine.StartTransferAsync();
        var started = (await engine.JobAsync(jobId)).StepStartedAt;

        var job = await engine.JobAsync(jobId);
        Assert.Equal(started + engine.Options.Deadlines.Transfer + TimeSpan.FromMilliseconds(1), job.NextActionAt);

        engine.AdvanceTo(started + engine.Options.Deadlines.Transfer + TimeSpan.FromMilliseconds(1));
        await engine.StepUntilIdleAsync();
        Assert.Equal(DeviceJobStatus.Failed, (await engine.JobAsync(jobId)).Status);
    }

    [Fact]
    public async Task Release_NewsArrivedWhileTheStepRan_JobStaysDue()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(engine.Options.QuietRecheckInterval);
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        var stepBegan = engine.Now;

        // The device fetched its action while the step that offered it was still running.
        engine.Advance(TimeSpan.FromMilliseconds(50));
        await engine.FeedbackAsync(jobId, E.Proceeding, F.None, "Installing Update Chunk Artifacts.");
        var newsAt = engine.Now;
        await engine.WithAsync<Nova.Firmware.Engine.Jobs.DeviceJobStore>(s =>
            s.ReleaseAsync(jobId, EngineHarness.ReplicaA, stepBegan + engine.Options.QuietRecheckInterval, stepBegan, CancellationToken.None));

        Assert.Equal(newsAt, (await engine.JobAsync(jobId)).NextActionAt);
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
    }

    [Fact]
    public async Task Transition_NewsArrivedWhileTheStepRan_JobStaysDue()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(engine.Options.QuietRecheckInterval);
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        var read = await engine.JobAsync(jobId);   // what the step saw when it began

        // The device reports the install done while the step is still writing "flashing".
        engine.Advance(TimeSpan.FromMilliseconds(50));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        var newsAt = engine.Now;
        var moved = await engine.WithAsync<Nova.Firmware.Engine.Jobs.DeviceJobStore, bool>(s => s.TransitionAsync(read, read.Status,
            new Nova.Firmware.Engine.Jobs.JobTransition(DeviceJobStatus.Flashing, "Writing.", read.NextActionAt + engine.Options.QuietRecheckInterval),
            EngineHarness.ReplicaA, CancellationToken.None));

        Assert.True(moved);
        Assert.Equal(newsAt, (await engine.JobAsync(jobId)).NextActionAt);
    }

    [Fact]
    public async Task TransitionDueNowThenRelease_NewsArrivedWhileTheStepRan_JobStaysDue()
    {
        // The stepper's own sequence: a transition due at the step's "now", then the release that
        // asks for the quiet re-check. News committed between the step's read and its transition
        // must survive both (a DDI "closed/success" while the step was writing "rebooting").
        await using var engine = await EngineHarness.StartAsync();
        var (_, jobId) = await engine.StartTransferAsync();
        engine.Advance(engine.Options.QuietRecheckInterval);
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
        var read = await engine.JobAsync(jobId);
        var stepNow = engine.Now;

        engine.Advance(TimeSpan.FromMilliseconds(50));
        await engine.FeedbackAsync(jobId, E.Closed, F.Success, "Update Installed.");
        var newsAt = engine.Now;
        var moved = await engine.WithAsync<Nova.Firmware.Engine.Jobs.DeviceJobStore, bool>(s => s.TransitionAsync(read, read.Status,
            new Nova.Firmware.Engine.Jobs.JobTransition(DeviceJobStatus.Flashing, "Writing.", stepNow),
            EngineHarness.ReplicaA, CancellationToken.None));
        await engine.WithAsync<Nova.Firmware.Engine.Jobs.DeviceJobStore>(s =>
            s.ReleaseAsync(jobId, EngineHarness.ReplicaA, stepNow + engine.Options.QuietRecheckInterval, stepNow, CancellationToken.None));

        Assert.True(moved);
        Assert.Equal(newsAt, (await engine.JobAsync(jobId)).NextActionAt);
        Assert.Equal([jobId], await engine.ClaimAsync(EngineHarness.ReplicaA));
    }
}
