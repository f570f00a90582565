using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// Eight simulated gateways on one 50 W PoE switch (4 W idle, 6 W booting, 9 W while writing: all
/// boot together within budget, but four writing at once exceed it), flashed by one rollout. With
/// the power-aware limit, the simulator's own record shows at most three writing at a time, no brownout, every device updated
/// once; with the limit off, the same rollout browns the switch out.
/// </summary>
public sealed class PowerAwareRolloutTests(ITestOutputHelper output)
{
    private const int Gateways = 8;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Nova:Power:Switches:sw-1:BudgetWatts"] = "50",
        ["Nova:Power:Models:GW-100:IdleWatts"] = "4",
        ["Nova:Power:Models:GW-100:FlashWatts"] = "9",
        ["Nova:Rollouts:TickInterval"] = "00:00:00.100",
        ["Nova:Rollouts:RecheckInterval"] = "00:00:00.200",
    };

    private static FleetDefinition Fleet()
    {
        var fleet = new FleetDefinition { Switches = [new PoeSwitchSpec { Id = "sw-1", BudgetWatts = 50, RestoreStaggerSeconds = 0.5 }] };
        for (var i = 1; i <= Gateways; i++)
        {
            var gateway = SimulatedFleetScenario.Gateway($"gw-{i:D2}");
            gateway.PoeSwitch = "sw-1";
            gateway.IdleWatts = 4;
            gateway.BootWatts = 6;
            gateway.WriteWatts = 9;
            gateway.FlashWriteSeconds = 10;
            fleet.Devices.Add(gateway);
        }
        return fleet;
    }

    [Theory(Timeout = 240_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rollout_OnOnePoeSwitch_PowerLimitKeepsItWithinBudget_WithoutItBrownsOut(bool powerAware)
    {
        await using var scenario = await SimulatedFleetScenario.StartAsync(Fleet(), Settings);
        var package = await scenario.ImportImageAsync("2.0.0", "1.0");
        using var admin = SimulatedFleetScenario.Admin(scenario.Server);
        var poe = scenario.Simulation.FindSwitch("sw-1")!;
        Assert.Equal(0, poe.BrownoutCount); // the fleet powered up within budget

        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new
        {
            name = "gw-100 2.0.0",
            packageId = package,
            target = new { model = "GW-100" },
            strategy = new { powerAware, maxConcurrent = Gateways, successGatePercent = 0, errorThresholdPercent = (int?)null, retry = new { maxAttempts = 1 } },
            start = true,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        if (!powerAware)
        {
            await FleetSteps.WaitAsync(() => Task.FromResult(poe.BrownoutCount > 0), TimeSpan.FromSeconds(60), "the switch to brown out");
            output.WriteLine($"Limit off: peak {poe.PeakWriting} writing at once, peak draw {poe.PeakDrawWatts} W, {poe.BrownoutCount} brownouts.");
            Assert.True(poe.PeakWriting >= 2);
            // The brownout is on the record of the jobs it hit, whatever they end as: a power entry in
            // the timeline, or the job failed with cause power-loss; never a silent "succeeded".
            var devices = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}/devices")).GetProperty("items").EnumerateArray()
                .Where(d => d.GetProperty("jobId").ValueKind == JsonValueKind.Number).ToList();
            Assert.NotEmpty(devices);
            foreach (var device in devices)
            {
                var jobId = device.GetProperty("jobId").GetInt64();
                await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}"),
                    j => j.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "power")
                        || (j.GetProperty("cause").ValueKind == JsonValueKind.String && j.GetProperty("cause").GetString() == "power-loss"),
                    TimeSpan.FromSeconds(60), $"job {jobId} to record the power event");
            }
            return;
        }
        var done = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}"),
            r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(180), "the rollout to complete");
        output.WriteLine($"Limit on: peak {poe.PeakWriting} writing at once, peak draw {poe.PeakDrawWatts} W, {poe.BrownoutCount} brownouts; {done.GetProperty("statusReason").GetString()}");

        Assert.Equal(0, poe.BrownoutCount);
        Assert.InRange(poe.PeakWriting, 1, 3);
        Assert.True(poe.PeakDrawWatts <= 50, $"peak draw {poe.PeakDrawWatts} W");
        Assert.Equal(Gateways, done.GetProperty("progress").GetProperty("byState").GetProperty("succeeded").GetInt32());
        foreach (var spec in Fleet().Devices)
        {
            var truth = scenario.Simulation.Truth(spec.Id);
            Assert.Equal((1, "2.0.0"), (truth.FlashCount, truth.RunningVersion));
        }
    }
}
