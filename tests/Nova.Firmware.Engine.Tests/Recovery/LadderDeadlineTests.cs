using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Engine.Tests.Infrastructure;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>
/// Every ladder deadline, looked at one second before (still on the rung) and one second after
/// (moved on). The clock is fake; nothing here sleeps.
/// </summary>
public sealed class LadderDeadlineTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A rung without news looks again every recheck interval, so it moves at most one interval after
    /// its deadline; a one-second interval makes "one second after" the moment it moves.
    /// </summary>
    private static Task<EngineHarness> StartAsync(Action<Engine.Recovery.RecoveryOptions>? recovery = null) =>
        EngineHarness.StartAsync(recovery: o =>
        {
            o.RecheckInterval = Second;
            recovery?.Invoke(o);
        });

    internal const string PowerLoss = "ERROR : power loss while writing the image";

    /// <summary>The vendor's factory image for the test devices' hardware, as the TFTP re-flash needs it.</summary>
    internal static Task<FirmwarePackage> SeedStockImageAsync(EngineHarness engine) =>
        engine.SeedPackageAsync("1.0.0-stock", p =>
        {
            p.Kind = PackageKind.Stock;
            p.Format = PackageFormat.Raw;
            p.FileName = "c200-stock.img";
        });

    [Theory]
    [InlineData("ab-slots")]
    [InlineData("boot-loop-retry")]
    public async Task PowerLoss_DeviceCanComeBackByItself_WaitsSelfRecoveryWaitThenBootsRecovery(string capability)
    {
        await using var engine = await StartAsync();
        var (_, job, run) = await engine.FailJobAsync(d => capability == "ab-slots" ? d.AbSlots("0.9.0") : d.BootLoopRetry(), PowerLoss);
        Assert.Equal(FailureCause.PowerLoss, job.Cause);

        await engine.StepRecoveryUntilIdleAsync();
        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.WaitingForSelfRecovery, waiting.Rung);
        Assert.Equal(FailureCause.PowerLoss, waiting.Cause);
        Assert.Equal(waiting.RungStartedAt + engine.Recovery.SelfRecoveryWait, waiting.RungDeadline);

        engine.AdvanceTo(waiting.RungStartedAt + engine.Recovery.SelfRecoveryWait - Second);
        await engine.StepRecoveryUntilIdleAsync();
        var still = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.WaitingForSelfRecovery, still.Rung);
        Assert.Equal(waiting.RungStartedAt, still.RungStartedAt);

        engine.AdvanceTo(waiting.RungStartedAt + engine.Recovery.SelfRecoveryWait + Second);
        await engine.StepRecoveryOnceAsync(run.Id);
        var moved = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.BootingRecovery, moved.Rung);
        Assert.Contains("Not back by itself within", moved.StatusReason);
        Assert.Contains(await engine.RungChangesAsync(run), m => m.StartsWith("recovery waiting-for-self-recovery → booting-recovery:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PowerLoss_SingleSlotDeviceWithoutBootLoopRetry_GoesStraightToTheRecoveryPartition()
    {
        await using var engine = await StartAsync();
        var (_, _, run) = await engine.FailJobAsync(null, PowerLoss);

        await engine.StepRecoveryOnceAsync(run.Id);

        Assert.Equal(RecoveryRung.BootingRecovery, (await engine.RunAsync(run.Id)).Rung);
    }

    [Fact]
    public async Task PowerLoss_ModelWithItsOwnSelfRecoveryWait_UsesItOnlyForThatModel()
    {
        var gatewayWait = TimeSpan.FromMinutes(3);
        await using var engine = await StartAsync(o => o.Models["GW-200"] = new RecoveryModelProfile { SelfRecoveryWait = gatewayWait });
        var (_, _, gatewayRun) = await engine.FailJobAsync(d => d.Model("GW-200").BootLoopRetry(), PowerLoss);
        var (_, _, cameraRun) = await engine.FailJobAsync(d => d.BootLoopRetry(), PowerLoss);
        await engine.StepRecoveryUntilIdleAsync();
        var gateway = await engine.RunAsync(gatewayRun.Id);
        var camera = await engine.RunAsync(cameraRun.Id);
        Assert.Equal(gateway.RungStartedAt + gatewayWait, gateway.RungDeadline);
        Assert.Equal(camera.RungStartedAt + engine.Recovery.SelfRecoveryWait, camera.RungDeadline);

        engine.AdvanceTo(gateway.RungStartedAt + gatewayWait - Second);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.WaitingForSelfRecovery, (await engine.RunAsync(gatewayRun.Id)).Rung);

        engine.AdvanceTo(gateway.RungStartedAt + gatewayWait + Second);
        await engine.StepRecoveryOnceAsync(gatewayRun.Id);
        Assert.Equal(RecoveryRung.BootingRecovery, (await engine.RunAsync(gatewayRun.Id)).Rung);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.WaitingForSelfRecovery, (await engine.RunAsync(cameraRun.Id)).Rung);

        engine.AdvanceTo(camera.RungStartedAt + engine.Recovery.SelfRecoveryWait + Second);
        await engine.StepRecoveryOnceAsync(cameraRun.Id);
        Assert.Equal(RecoveryRung.BootingRecovery, (await engine.RunAsync(cameraRun.Id)).Rung);
    }

    [Fact]
    public async Task Reflashing_DeviceNeverPullsTheStockImage_WaitsBootPlusReflashThenOpensATechnicianTask()
    {
        await using var engine = await StartAsync();
        var stock = await SeedStockImageAsync(engine);
        var (device, job, run) = await engine.FailJobAsync(d => d.RecoveryPartition(), PowerLoss);

        await engine.StepRecoveryUntilIdleAsync();
        var reflashing = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Reflashing, reflashing.Rung);
        Assert.Equal(1, reflashing.RecoveryBoots);
        // A DDI device cannot be told; one with a recovery partition falls into it after its boot loop.
        var toReflashing = Assert.Single(await engine.RungChangesAsync(run), m => m.StartsWith("recovery booting-recovery → reflashing:", StringComparison.Ordinal));
        Assert.Contains("could not be told", toReflashing);
        Assert.Contains(stock.FileName, toReflashing);
        var command = Assert.Single(await engine.CommandsAsync(job.Id), c => c.Step == "recovery");
        Assert.Equal(1, command.Attempt);
        var wait = engine.Recovery.RecoveryBootWait + engine.Recovery.ReflashWait;
        Assert.Equal(reflashing.RungStartedAt + wait, reflashing.RungDeadline);

        engine.AdvanceTo(reflashing.RungStartedAt + wait - Second);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.Reflashing, (await engine.RunAsync(run.Id)).Rung);
        Assert.Empty(await engine.TasksAsync(run.Id));

        engine.AdvanceTo(reflashing.RungStartedAt + wait + Second);
        await engine.StepRecoveryUntilIdleAsync();
        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingTechnician, waiting.Rung);
        Assert.Null(waiting.RungDeadline);
        Assert.Contains("never pulled the stock image", waiting.StatusReason);
        var task = Assert.Single(await engine.TasksAsync(run.Id));
        Assert.Equal(TechnicianTaskStatus.Open, task.Status);
        Assert.Equal(device.Id, task.DeviceId);
        Assert.Contains("C200", task.Title);
        Assert.Contains("never pulled the stock image", task.Reason);
        Assert.Contains(task.Steps, s => s.Contains("revision 1.0 (CV25)", StringComparison.Ordinal));
        Assert.Contains(task.Steps, s => s.Contains(EngineHarness.TftpServer, StringComparison.Ordinal) && s.Contains(RecoveryModelProfile.DefaultRecoveryButton, StringComparison.Ordinal));
        Assert.Contains(task.Steps, s => s.StartsWith("Photograph", StringComparison.Ordinal));
        Assert.Equal(RecoveryModelProfile.DefaultLedWhenDone, task.WaitForLed);
        Assert.Equal(RecoveryModelProfile.DefaultPhotos, task.PhotosWanted);
        // No SD slot: no SD image to hand over.
        Assert.Null(task.SdImagePackageId);
    }

    [Fact]
    public async Task Verifying_NeverHealthyAndRecoveryPartitionNotTried_GoesToTheRecoveryPartitionAtTheDeadline()
    {
        await using var engine = await StartAsync();
        await SeedStockImageAsync(engine);
        var (device, _, run) = await engine.FailJobAsync(d => d.AbSlots("0.9.0").RecoveryPartition(), PowerLoss);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.WaitingForSelfRecovery, (await engine.RunAsync(run.Id)).Rung);

        // Back in normal boot on the old slot, but its LED says something is wrong.
        engine.Advance(TimeSpan.FromMinutes(2));
        await engine.ReportAsync(device.Id, version: "1.0.0", led: "blinking-red");
        await engine.StepRecoveryUntilIdleAsync();
        var verifying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Verifying, verifying.Rung);
        Assert.Equal(0, verifying.RecoveryBoots);
        Assert.Equal(verifying.RungStartedAt + engine.Recovery.VerifyWait, verifying.RungDeadline);

        engine.AdvanceTo(verifying.RungStartedAt + engine.Recovery.VerifyWait - Second);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.Verifying, (await engine.RunAsync(run.Id)).Rung);

        engine.AdvanceTo(verifying.RungStartedAt + engine.Recovery.VerifyWait + Second);
        await engine.StepRecoveryOnceAsync(run.Id);
        var moved = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.BootingRecovery, moved.Rung);
        Assert.Contains("Not verified within", moved.StatusReason);
    }

    [Fact]
    public async Task Verifying_NeverHealthyAfterTheRecoveryPartitionWasTried_OpensATechnicianTaskAtTheDeadline()
    {
        await using var engine = await StartAsync();
        await SeedStockImageAsync(engine);
        var (device, _, run) = await engine.FailJobAsync(d => d.RecoveryPartition(), PowerLoss);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.Reflashing, (await engine.RunAsync(run.Id)).Rung);

        engine.Advance(TimeSpan.FromMinutes(4));
        await engine.ReportAsync(device.Id, version: "1.0.0-stock", led: "blinking-red");
        await engine.StepRecoveryUntilIdleAsync();
        var verifying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Verifying, verifying.Rung);
        Assert.Equal(1, verifying.RecoveryBoots);

        engine.AdvanceTo(verifying.RungStartedAt + engine.Recovery.VerifyWait - Second);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.Verifying, (await engine.RunAsync(run.Id)).Rung);
        Assert.Empty(await engine.TasksAsync(run.Id));

        engine.AdvanceTo(verifying.RungStartedAt + engine.Recovery.VerifyWait + Second);
        await engine.StepRecoveryOnceAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingTechnician, (await engine.RunAsync(run.Id)).Rung);
        Assert.Single(await engine.TasksAsync(run.Id));
    }

    [Fact]
    public async Task CleaningUp_SpaceNeverFreed_WaitsCleanUpWaitThenBlocksWithTheShortfall()
    {
        await using var engine = await StartAsync();
        var (device, job, run) = await engine.FailPushJobAsync(null, "ERROR : No space left on device");
        var free = 16L << 20;
        await engine.SetFreeBytesAsync(device.Id, free);
        await engine.StepRecoveryUntilIdleAsync();
        var cleaning = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.CleaningUp, cleaning.Rung);
        Assert.Equal(cleaning.RungStartedAt + engine.Recovery.CleanUpWait, cleaning.RungDeadline);

        engine.AdvanceTo(cleaning.RungStartedAt + engine.Recovery.CleanUpWait - Second);
        await engine.StepRecoveryUntilIdleAsync();
        Assert.Equal(RecoveryRung.CleaningUp, (await engine.RunAsync(run.Id)).Rung);

        engine.AdvanceTo(cleaning.RungStartedAt + engine.Recovery.CleanUpWait + Second);
        await engine.StepRecoveryUntilIdleAsync();
        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        Assert.Equal(Domain.Preflight.PreflightCheck.Space, blocked.BlockingCheck);
        var needed = engine.Options.Preflight.RequiredFreeBytes((await engine.PackageAsync(job.PackageId)).Size);
        Assert.Equal(needed - free, blocked.ShortfallBytes);
        Assert.Null(blocked.ActiveDeviceId);
        Assert.Null(blocked.RetryJobId);
        Assert.Single(engine.Push.CleanUpRequests);
    }

    [Fact]
    public async Task CleaningUp_FreeSpaceNotYetReported_WaitsForTheMeasurementInsteadOfBlockingAgainstZero()
    {
        await using var engine = await StartAsync();
        engine.Push.Cleans = false;
        var (device, job, run) = await engine.FailPushJobAsync(null, "ERROR : No space left on device");
        await engine.SetFreeBytesAsync(device.Id, null);
        await engine.StepRecoveryUntilIdleAsync();
        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.CleaningUp, waiting.Rung);
        Assert.Contains("report its free space", waiting.StatusReason, StringComparison.Ordinal);

        const long free = 40_000;
        await engine.SetFreeBytesAsync(device.Id, free);
        engine.AdvanceTo(engine.Now + Second);
        await engine.StepRecoveryUntilIdleAsync();
        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        var needed = engine.Options.Preflight.RequiredFreeBytes((await engine.PackageAsync(job.PackageId)).Size);
        Assert.Equal(needed - free, blocked.ShortfallBytes);
        Assert.Contains("clear log partitions", blocked.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleaningUp_FreeSpaceNeverReported_BlocksAtTheDeadlineWithoutInventingAShortfall()
    {
        await using var engine = await StartAsync();
        engine.Push.Cleans = false;
        var (device, _, run) = await engine.FailPushJobAsync(null, "ERROR : No space left on device");
        await engine.SetFreeBytesAsync(device.Id, null);
        await engine.StepRecoveryUntilIdleAsync();
        var cleaning = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.CleaningUp, cleaning.Rung);

        engine.AdvanceTo(cleaning.RungStartedAt + engine.Recovery.CleanUpWait + Second);
        await engine.StepRecoveryUntilIdleAsync();
        var blocked = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Blocked, blocked.Rung);
        Assert.Equal(Domain.Preflight.PreflightCheck.Space, blocked.BlockingCheck);
        Assert.Null(blocked.ShortfallBytes);
        Assert.Contains("Free space unknown", blocked.StatusReason, StringComparison.Ordinal);
    }
}
