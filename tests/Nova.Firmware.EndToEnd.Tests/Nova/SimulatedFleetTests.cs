using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>The engine against simulated DDI gateways: assertions on the devices' true state, not the server's belief.</summary>
public sealed class SimulatedFleetTests
{
    [Fact(Timeout = 240_000)]
    public async Task Preflight_HeldBackDevices_CarryTheRightCheckAndNoByteIsFlashed()
    {
        var full = SimulatedFleetScenario.Gateway("gw-full");
        full.StorageCapacityBytes = 16L * 1024 * 1024;
        full.StorageItems = [new StorageItemSpec { Name = "syslog", Kind = StorageItemKind.Log, SizeBytes = 12L * 1024 * 1024 }];
        var powered = SimulatedFleetScenario.Gateway("gw-power");
        powered.PoeSwitch = "sw-power";
        var fleet = new FleetDefinition
        {
            Switches = [new PoeSwitchSpec { Id = "sw-power", BudgetWatts = 100 }],
            Devices = [SimulatedFleetScenario.Gateway("gw-ok"), SimulatedFleetScenario.Gateway("gw-rev2", revision: "2.0"), full, powered],
        };
        await using var scenario = await SimulatedFleetScenario.StartAsync(fleet);
        var package = await scenario.ImportImageAsync("2.0.0", "1.0");
        scenario.Simulation.InjectFault("gw-power", new FaultRequest(FaultKind.Brownout));
        await scenario.WaitForReportAsync("gw-power", r => r.ResetReason == "brownout");

        var ok = await scenario.StartJobAsync("gw-ok", package);
        var rev2 = await scenario.StartJobAsync("gw-rev2", package);
        var space = await scenario.StartJobAsync("gw-full", package);
        var power = await scenario.StartJobAsync("gw-power", package);

        Assert.Equal("compatibility", (await scenario.JobInStatusAsync(rev2, "blocked", "failed", "succeeded")).GetProperty("blockingCheck").GetString());
        Assert.Equal("space", (await scenario.JobInStatusAsync(space, "blocked", "failed", "succeeded")).GetProperty("blockingCheck").GetString());
        // A power event passes by itself: the job waits for the window to end instead of blocking for good.
        var waiting = await scenario.JobInStatusAsync(power, "waiting", "blocked", "failed", "succeeded");
        Assert.Equal("waiting", waiting.GetProperty("status").GetString());
        Assert.Contains("brownout", waiting.GetProperty("statusReason").GetString());
        Assert.True(waiting.GetProperty("recheckAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(50));
        Assert.Equal("succeeded", (await scenario.JobInStatusAsync(ok, "succeeded", "failed", "blocked")).GetProperty("status").GetString());

        var truthOk = scenario.Simulation.Truth("gw-ok");
        Assert.Equal(("2.0.0", 1), (truthOk.RunningVersion, truthOk.FlashCount));
        foreach (var id in new[] { "gw-rev2", "gw-full", "gw-power" })
        {
            var truth = scenario.Simulation.Truth(id);
            Assert.Equal(0, truth.FlashCount);
            Assert.Equal("1.0.0", truth.RunningVersion);
            Assert.DoesNotContain(truth.Slots, s => s.Version == "2.0.0");
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task Flash_DeviceFallsBackToOldSlot_IsNotSucceeded()
    {
        var fleet = new FleetDefinition { Devices = [SimulatedFleetScenario.Gateway("gw-fallback")] };
        await using var scenario = await SimulatedFleetScenario.StartAsync(fleet);
        var package = await scenario.ImportImageAsync("2.0.0", "1.0");
        scenario.Simulation.InjectFault("gw-fallback", new FaultRequest(FaultKind.BootFailure));

        var job = await scenario.StartJobAsync("gw-fallback", package);

        var done = await scenario.JobInStatusAsync(job, "succeeded", "failed");
        var truth = scenario.Simulation.Truth("gw-fallback");
        Assert.True(truth.FellBack);
        Assert.Equal("1.0.0", truth.RunningVersion);
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("boot-failure", done.GetProperty("cause").GetString());
    }
}
