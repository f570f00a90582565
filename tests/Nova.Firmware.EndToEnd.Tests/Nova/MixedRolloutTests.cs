using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// One rollout over a mixed simulated fleet of 300: DDI gateways of two models (one of them in two
/// hardware revisions) and ONVIF cameras, with faults injected into 10% of the devices. Each device
/// gets the package that fits its model and revision; the rollout completes; every device it counts
/// as succeeded really runs the new version, by the simulator's truth; every failure has a cause.
/// </summary>
public sealed class MixedRolloutTests(ITestOutputHelper output)
{
    private const double TimeScale = 10;

    [Fact(Timeout = 420_000)]
    public async Task MixedFleetOf300_WithTenPercentFaults_RolloutCompletesAndEachDeviceGetsItsPackage()
    {
        await using var server = await NovaServer.StartKestrelAsync(settings: new Dictionary<string, string>(NovaServer.FastEngine)
        {
            ["Nova:Ddi:PollSleep"] = "00:00:10",
            ["Nova:Ddi:ActivePollSleep"] = "00:00:05",
            ["Nova:Rollouts:TickInterval"] = "00:00:00.200",
            ["Nova:Rollouts:RecheckInterval"] = "00:00:00.500",
        });
        using var admin = NovaApi.Admin(server.BaseAddress);

        var gateways = Enumerable.Range(1, 100).Select(i => SimulatedFleetScenario.Gateway($"gw100-a-{i:D3}"))
            .Concat(Enumerable.Range(1, 50).Select(i => SimulatedFleetScenario.Gateway($"gw100-b-{i:D3}", revision: "2.0")))
            .Concat(Enumerable.Range(1, 50).Select(i =>
            {
                var spec = SimulatedFleetScenario.Gateway($"gw200-{i:D3}");
                spec.Model = "GW-200";
                return spec;
            })).ToList();
        var cameras = Enumerable.Range(1, 100).Select(i =>
        {
            var camera = CameraScenario.Camera($"cam-{i:D3}");
            camera.FlashWriteSeconds = 20;
            camera.BootSeconds = 10;
            return camera;
        }).ToList();
        var fleet = new FleetDefinition { TimeScale = TimeScale, Devices = [.. gateways, .. cameras] };
        fleet.Ddi.ServerUrl = server.BaseAddress;
        fleet.Ddi.RetryWaitSeconds = 1;
        var ids = new Dictionary<string, Guid>();
        foreach (var chunk in gateways.Chunk(20))
        {
            foreach (var (spec, deviceId) in chunk.Zip(await Task.WhenAll(chunk.Select(g => FleetSteps.EnrolAsync(admin, g)))))
            {
                ids[spec.Id] = deviceId;
            }
        }
        await using var simulation = new Simulation(fleet);
        var truncated = simulation.InjectFault(new FaultRequest(FaultKind.TruncatedTransfer), 0.05, seed: 7);
        var bootFailures = simulation.InjectFault(new FaultRequest(FaultKind.BootFailure, Count: 1), 0.05, seed: 11);
        simulation.Start();
        await using var faces = await SimulatorApp.StartAsync(simulation);
        foreach (var camera in cameras)
        {
            await simulation.WaitForAsync(camera.Id, t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(60));
            ids[camera.Id] = await FleetSteps.EnrolCameraAsync(admin, camera, new Uri(faces.Urls.First() + "/"));
        }
        var packages = new[]
        {
            await ImportAsync(admin, "GW-100", "1.0", "aarch64", "Acme"),
            await ImportAsync(admin, "GW-100", "2.0", "aarch64", "Acme"),
            await ImportAsync(admin, "GW-200", "1.0", "aarch64", "Acme"),
            await FleetSteps.ImportCameraImageAsync(admin, "2.0.0", 256 * 1024),
        };
        await FleetSteps.WaitAsync(() => FleetSteps.AllReportedAsync(admin, gateways.Select(g => ids[g.Id])), TimeSpan.FromSeconds(90), "every gateway's first poll");

        var created = await admin.PostAsJsonAsync("/api/v1/rollouts", new
        {
            name = "site-wide 2.0.0",
            packageIds = packages,
            target = new { deviceIds = ids.Values },
            strategy = new { canaryCount = 8, wavePercent = 25, successGatePercent = 60, errorThresholdPercent = 25, maxConcurrent = 60, retry = new { maxAttempts = 1 } },
            start = true,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var rollout = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = rollout.GetProperty("id").GetInt64();
        Assert.Equal(0, rollout.GetProperty("progress").GetProperty("unplanned").GetInt32());

        var done = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}"),
            r => r.GetProperty("status").GetString() is "completed" or "paused", TimeSpan.FromSeconds(300), "the rollout to complete");
        output.WriteLine($"{done.GetProperty("status").GetString()}: {done.GetProperty("statusReason").GetString()}");
        output.WriteLine($"Faults: truncated transfer on {truncated.Count}, boot failure on {bootFailures.Count}; failures by cause: {done.GetProperty("progress").GetProperty("failuresByCause")}");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var members = await DevicesAsync(admin, id);
        Assert.Equal(300, members.Count);
        var byController = members.ToDictionary(m => m.GetProperty("controllerId").GetString()!);
        foreach (var spec in gateways.Concat(cameras))
        {
            var member = byController[spec.Id];
            var state = member.GetProperty("state").GetString();
            var truth = simulation.Truth(spec.Id);
            if (state == "succeeded")
            {
                Assert.Equal("2.0.0", truth.RunningVersion);
                Assert.Equal(1, truth.FlashCount);
            }
            else
            {
                Assert.Equal("failed", state);
                Assert.Contains(spec.Id, bootFailures.Concat(truncated));
                Assert.False(string.IsNullOrEmpty(member.GetProperty("cause").GetString()), $"{spec.Id} failed without a cause");
            }
        }
        // The package that fits each model and revision, never another.
        var expected = new Dictionary<string, Guid> { ["gw100-a"] = packages[0], ["gw100-b"] = packages[1], ["gw200"] = packages[2], ["cam"] = packages[3] };
        Assert.All(members, m => Assert.Equal(expected[m.GetProperty("controllerId").GetString()![..m.GetProperty("controllerId").GetString()!.LastIndexOf('-')]], m.GetProperty("packageId").GetGuid()));
        Assert.True(members.Count(m => m.GetProperty("state").GetString() == "succeeded") >= 270, "fewer than 90% succeeded");
    }

    private static async Task<Guid> ImportAsync(HttpClient admin, string model, string revision, string soc, string vendor)
    {
        var image = SimulatedImage.Build("2.0.0", soc, [revision], 64 * 1024, vendor: vendor, model: model);
        using var form = NovaApi.PackageForm(vendor, "2.0.0", model, revision, soc, image, $"{model.ToLowerInvariant()}-2.0.0-rev{revision}.img");
        var response = await admin.PostAsync("/api/v1/packages", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<List<JsonElement>> DevicesAsync(HttpClient admin, long id)
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var items = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/rollouts/{id}/devices?page={page}&pageSize=500")).GetProperty("items").EnumerateArray().ToList();
            all.AddRange(items);
            if (items.Count < 500)
            {
                return all;
            }
        }
    }
}
