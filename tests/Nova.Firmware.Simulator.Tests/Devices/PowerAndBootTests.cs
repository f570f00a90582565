using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Tests.Infrastructure;

namespace Nova.Firmware.Simulator.Tests.Devices;

public sealed class PowerAndBootTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task InstallAsync_PowerLossAt40Percent_SlotInvalidBootCountRisesThenStagedRetryAfterConfiguredWait()
    {
        var spec = TestFleet.Gateway("gw-single", s =>
        {
            s.Layout = FlashLayout.SingleWithRecovery;
            s.RetryFromStagedImage = true;
            s.StagedRetryDelaySeconds = 600;
        });
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(spec));
        var device = sim["gw-single"];
        var image = SimulatedImage.Inspect(TestFleet.GatewayImage("2.0.0"));
        Assert.True(device.TryStage(image.Size));
        sim.InjectFault(device.Id, new FaultRequest(FaultKind.PowerLoss, Percent: 40));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.InstallAsync(image, CancellationToken.None));
        var cut = sim.Clock.GetUtcNow();
        var afterCut = sim.Truth(device.Id);
        Assert.Equal(ResetReason.PowerLoss, afterCut.ResetReason);
        Assert.False(afterCut.Slots[0].Valid);
        Assert.Equal(40, afterCut.Slots[0].WrittenPercent);

        var looping = await sim.WaitForAsync(device.Id, t => t.BootCount >= 2 && t.Mode == DeviceMode.BootLoop, Timeout);
        Assert.Equal(ResetReason.Watchdog, looping.ResetReason);
        Assert.Equal(LedState.BlinkingRed, looping.Led);

        var recovered = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, Timeout);
        Assert.True(sim.Clock.GetUtcNow() - cut >= TimeSpan.FromSeconds(600), "the staged retry must wait the configured 10 minutes");
        Assert.Equal("2.0.0", recovered.RunningVersion);
        Assert.True(recovered.Slots[0].Valid);
        Assert.Equal(image.Sha256, recovered.Slots[0].Sha256);
        Assert.Equal(2, recovered.FlashCount);
        Assert.Equal(0, recovered.BootCount);
        Assert.Contains(recovered.SystemLog, line => line.Contains("retrying from the staged image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstallAsync_PowerLossOnABInactiveSlot_OldSlotStillBootsAndNewSlotIsInvalid()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Gateway("gw-ab")));
        var device = sim["gw-ab"];
        var image = SimulatedImage.Inspect(TestFleet.GatewayImage("2.0.0"));
        sim.InjectFault(device.Id, new FaultRequest(FaultKind.PowerLoss, Percent: 40));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.InstallAsync(image, CancellationToken.None));
        var truth = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, Timeout);

        Assert.Equal("A", truth.BootSlot);
        Assert.Equal("1.0.0", truth.RunningVersion);
        Assert.False(truth.Slots[1].Valid);
        Assert.Equal(40, truth.Slots[1].WrittenPercent);
        Assert.Equal(ResetReason.PowerLoss, truth.ResetReason);
    }

    [Fact]
    public async Task Reboot_BootFailureFaultOnNewSlot_BootCounterPassesLimitAndFallsBackToOldSlot()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Gateway("gw-fb", s => s.BootLimit = 3)));
        var device = sim["gw-fb"];
        sim.InjectFault(device.Id, new FaultRequest(FaultKind.BootFailure));

        await device.InstallAsync(SimulatedImage.Inspect(TestFleet.GatewayImage("2.0.0")), CancellationToken.None);
        device.Reboot(ResetReason.Update);
        var truth = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, Timeout);

        Assert.Equal("A", truth.BootSlot);
        Assert.True(truth.FellBack);
        Assert.Equal("1.0.0", truth.RunningVersion);
        Assert.Equal("2.0.0", truth.Slots[1].Version);
        Assert.True(truth.BootAttempts >= 1 + 3 + 1, $"boot attempts {truth.BootAttempts}");
        Assert.Contains(truth.SystemLog, line => line.Contains("Kernel panic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_WrongSocImage_VerifyingDeviceRefusesCarelessDeviceWritesItAndFallsBack()
    {
        var careful = TestFleet.Gateway("gw-careful");
        var careless = TestFleet.Gateway("gw-careless", s => s.AcceptsWrongHardware = true);
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(careful, careless));
        var armv7 = SimulatedImage.Inspect(TestFleet.GatewayImage("2.0.0", soc: "armv7"));

        Assert.Equal("SW not compatible with hardware", sim["gw-careful"].Refuses(armv7));
        Assert.Null(sim["gw-careless"].Refuses(armv7));

        await sim["gw-careless"].InstallAsync(armv7, CancellationToken.None);
        sim["gw-careless"].Reboot(ResetReason.Update);
        var truth = await sim.WaitForAsync("gw-careless", t => t.Mode == DeviceMode.Normal, Timeout);
        Assert.True(truth.FellBack);
        Assert.Equal("1.0.0", truth.RunningVersion);
        Assert.Contains(truth.SystemLog, line => line.Contains("Unsupported Architecture", StringComparison.Ordinal) && line.Contains("board is aarch64", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BootLoop_NoRecoveryNoStagedRetry_BrickedUntilSdCardAndRecoveryButton()
    {
        var spec = TestFleet.Gateway("gw-brick", s =>
        {
            s.Layout = FlashLayout.SingleWithRecovery;
            s.HasRecoveryPartition = false;
        });
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(spec));
        var device = sim["gw-brick"];
        sim.InjectFault(device.Id, new FaultRequest(FaultKind.PowerLoss, Percent: 70));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.InstallAsync(SimulatedImage.Inspect(TestFleet.GatewayImage()), CancellationToken.None));

        var bricked = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Bricked, Timeout);
        Assert.Equal(LedState.SolidRed, bricked.Led);
        Assert.Null(bricked.RunningVersion);

        device.InsertSdCard(FactoryImages.Build("Acme", "GW-100", "1.0.1", "aarch64", "1.0"));
        device.HoldRecoveryButtonAndPowerOn();
        var restored = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, Timeout);
        Assert.Equal("1.0.1", restored.RunningVersion);
        Assert.Equal(LedState.SolidGreen, restored.Led);
        Assert.Equal(ResetReason.User, restored.ResetReason);
    }

    [Fact]
    public async Task Brownout_TooManyDevicesWritingOnOneSwitch_EveryDeviceOnTheSwitchResetsWithBrownout()
    {
        var fleet = TestFleet.Of(
            [.. Enumerable.Range(1, 4).Select(i => TestFleet.Gateway($"gw-poe-{i}", s => { s.PoeSwitch = "sw-1"; s.FlashWriteSeconds = 600; }))]);
        fleet.Switches.Add(new PoeSwitchSpec { Id = "sw-1", BudgetWatts = 30 });
        await using var sim = await TestFleet.StartAsync(fleet);
        var image = SimulatedImage.Inspect(TestFleet.GatewayImage());

        // Idle 4 W each; writing 9 W: two writers (26 W) fit, the third (31 W) sags the switch.
        var writes = sim.Devices.Take(3).Select(d => d.InstallAsync(image, CancellationToken.None)).ToList();
        foreach (var write in writes)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        }

        Assert.Equal(1, sim.FindSwitch("sw-1")!.BrownoutCount);
        foreach (var device in sim.Devices)
        {
            var truth = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, Timeout);
            Assert.Equal(ResetReason.Brownout, truth.ResetReason);
            Assert.Equal("1.0.0", truth.RunningVersion);
        }
        Assert.All(sim.Devices.Take(3), d => Assert.False(d.Truth().Slots[1].Valid));
    }

    [Fact]
    public async Task TryStage_ImageLargerThanFreeSpace_RefusedUntilLogsAndBackupsAreCleared()
    {
        var spec = TestFleet.Gateway("gw-full", s =>
        {
            s.StorageCapacityBytes = 10_000;
            s.StorageItems =
            [
                new StorageItemSpec { Name = "syslog", Kind = StorageItemKind.Log, SizeBytes = 4_000 },
                new StorageItemSpec { Name = "fw-0.9", Kind = StorageItemKind.FirmwareBackup, SizeBytes = 4_000 },
            ];
        });
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(spec));
        var device = sim["gw-full"];

        Assert.False(device.TryStage(5_000));
        Assert.True(device.ClearStorage(StorageItemKind.Log, out var freed));
        Assert.Equal(4_000, freed);
        Assert.True(device.TryStage(5_000));
        Assert.Equal(1_000, device.Truth().Storage.FreeBytes);
    }
}
