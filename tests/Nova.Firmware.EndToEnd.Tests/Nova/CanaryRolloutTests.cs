using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// A package that does not boot on this hardware (every simulated gateway fails to boot the new
/// image and falls back): the canaries fail, the error threshold pauses the rollout, and no other
/// device is touched, by the simulator's own flash count.
/// </summary>
public sealed class CanaryRolloutTests(ITestOutputHelper output)
{
    private const int Gateways = 20;

    [Fact(Timeout = 180_000)]
    public async Task PackageBricksItsCanaries_ErrorThresholdPauses_NoOtherDeviceFlashed()
    {
        var fleet = new FleetDefinition { Devices = [.. Enumerable.Range(1, Gateways).Select(i => SimulatedFleetScenario.Gateway($"gw-{i:D2}"))] };
        await using var scenario = await SimulatedFleetScenario.StartAsync(fleet, new Dictionary<string, string>
        {
            ["Nova:Rollouts:TickInterval"] = "00:00:00.100",
            ["Nova:Rollouts:RecheckInterval"] = "00:00:00.200",
        });
        scenario.Simulation.InjectFault(new FaultRequest(FaultKind.BootFailure, Count: 100), 1.0);
        var package = await scenario.ImportImageAsync("2.0.0", "1.0");
        using var admin = SimulatedFleetScenario.Admin(scenario.Server);

        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new
        {
            name = "bricking package",
            packageId = package,
            target = new { model = "GW-100" },
            strategy = new { canaryCount = 3, waveSize = 5, errorThresholdCount = 2, retry = new { maxAttempts = 1 } },
            start = true,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var paused = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}"),
            r => r.GetProperty("status").GetString() != "running", TimeSpan.FromSeconds(120), "the rollout to stop");
        output.WriteLine($"{paused.GetProperty("status").GetString()}: {paused.GetProperty("statusReason").GetString()}");
        // Jobs already running when it paused run to their end; give them time, then count.
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal("paused", paused.GetProperty("status").GetString());
        Assert.StartsWith("Error threshold reached", paused.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, paused.GetProperty("openedWave").GetInt32());
        var progress = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}")).GetProperty("progress");
        Assert.True(progress.GetProperty("failuresByCause").GetProperty("boot-failure").GetInt32() >= 2, progress.ToString());
        Assert.Equal(Gateways - 3, progress.GetProperty("byState").GetProperty("pending").GetInt32());
        var flashed = fleet.Devices.Where(d => scenario.Simulation.Truth(d.Id).FlashCount > 0).Select(d => d.Id).ToList();
        Assert.True(flashed.Count <= 3, $"flashed beyond the canaries: {string.Join(", ", flashed)}");
        Assert.All(fleet.Devices, d => Assert.Equal("1.0.0", scenario.Simulation.Truth(d.Id).RunningVersion));
    }
}
