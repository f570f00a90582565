using System.Security.Cryptography;
using Nova.Firmware.EndToEnd.Tests.Swupdate;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// One server, every kind of device at once: simulated DDI gateways polling it, Debian's real
/// SWUpdate client polling it, and simulated ONVIF cameras it pushes to. All jobs start together;
/// all succeed, each device flashed once.
/// </summary>
public sealed class MixedFleetTests(ITestOutputHelper output)
{
    private const int Gateways = 6;
    private const int Cameras = 4;
    private const double TimeScale = 10;
    private static readonly string[] Final = ["succeeded", "failed", "blocked", "cancelled"];

    [Fact(Timeout = 240_000)]
    public async Task GatewaysRealSwupdateAndCameras_FlashedTogether_AllSucceedOnceEach()
    {
        // The SWUpdate scenario owns the server (it must trust the bundle signer from the start); the
        // simulated gateways poll every 2 s of simulated time, 0.2 s of real time.
        await using var scenario = await NovaSwupdateScenario.CreateAsync(extraSettings: new Dictionary<string, string>
        {
            ["Nova:Ddi:PollSleep"] = "00:00:02",
            ["Nova:Ddi:ActivePollSleep"] = "00:00:02",
        });
        using var admin = NovaApi.Admin(scenario.Server.BaseAddress);

        var gateways = Enumerable.Range(1, Gateways).Select(i => SimulatedFleetScenario.Gateway($"gw-{i:D2}")).ToList();
        var cameras = Enumerable.Range(1, Cameras).Select(i =>
        {
            var camera = CameraScenario.Camera($"cam-{i:D2}");
            camera.FlashWriteSeconds = 20; // 2 s of real time
            camera.BootSeconds = 10;
            return camera;
        }).ToList();
        var fleet = new FleetDefinition { TimeScale = TimeScale, Devices = [.. gateways, .. cameras] };
        fleet.Ddi.ServerUrl = scenario.Server.BaseAddress;
        fleet.Ddi.RetryWaitSeconds = 1;
        var ids = new Dictionary<string, Guid>();
        foreach (var gateway in gateways)
        {
            ids[gateway.Id] = await FleetSteps.EnrolAsync(admin, gateway);
        }
        await using var simulation = new Simulation(fleet);
        simulation.Start();
        await using var faces = await SimulatorApp.StartAsync(simulation);
        foreach (var camera in cameras)
        {
            await simulation.WaitForAsync(camera.Id, t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(60));
            ids[camera.Id] = await FleetSteps.EnrolCameraAsync(admin, camera, new Uri(faces.Urls.First() + "/"));
        }

        var gatewayImage = await FleetSteps.ImportAsync(admin);
        var cameraImage = await FleetSteps.ImportCameraImageAsync(admin, "2.0.0", 512 * 1024);
        var rootfs = RandomNumberGenerator.GetBytes(200_000);
        var bundle = await scenario.Bundle().WithVersion("2.1.0").WithHardwareCompatibility("1.0").AddRawFile("rootfs.img", rootfs, scenario.TargetPath).BuildAsync();
        var swupdateImage = await scenario.ImportAsync(bundle);
        await scenario.StartDeviceAsync(identify: RealSwupdateFlashTests.Identity("1.0.0"));
        await FleetSteps.WaitAsync(() => FleetSteps.AllReportedAsync(admin, gateways.Select(g => ids[g.Id])), TimeSpan.FromSeconds(60), "every gateway's first poll");

        // All jobs at once.
        var started = await Task.WhenAll(
            gateways.Select(g => FleetSteps.StartJobAsync(admin, ids[g.Id], gatewayImage))
                .Concat(cameras.Select(c => FleetSteps.StartJobAsync(admin, ids[c.Id], cameraImage)))
                .Append(FleetSteps.StartJobAsync(admin, scenario.Device.Id, swupdateImage)));
        var swupdateJob = started[^1];

        // The real client writes, then waits to be rebooted: the test is its bootloader.
        await scenario.Swupdate.WaitForOutputAsync(l => l.Contains("Please restart SWUpdate", StringComparison.Ordinal), TimeSpan.FromSeconds(120), "SWUpdate's install");
        await scenario.JobInStatusAsync(swupdateJob, "rebooting");
        await scenario.Swupdate.RestartAfterRebootAsync(SwupdateConfirmation.Success, RealSwupdateFlashTests.Identity("2.1.0"));

        await FleetSteps.WaitAsync(async () => (await FleetSteps.JobsAsync(admin)).All(j => Final.Contains(j.Status)), TimeSpan.FromSeconds(150), "every job to end");
        var jobs = await FleetSteps.JobsAsync(admin);
        output.WriteLine(string.Join(", ", jobs.GroupBy(j => j.Status).Select(g => $"{g.Key} {g.Count()}")));

        Assert.Equal(Gateways + Cameras + 1, jobs.Count);
        Assert.All(jobs, j => Assert.True(j.Status == "succeeded", $"job {j.Id} on {j.DeviceId} ended {j.Status}"));
        foreach (var spec in gateways.Concat(cameras))
        {
            var truth = simulation.Truth(spec.Id);
            Assert.True(truth.FlashCount == 1, $"{spec.Id} was flashed {truth.FlashCount} times.");
            Assert.Equal("2.0.0", truth.RunningVersion);
        }
        // The real client installed once: its one "restart" request after writing, and the bytes written are the bundle's.
        Assert.Single(scenario.Swupdate.Output.Snapshot(), l => l.Contains("Please restart SWUpdate", StringComparison.Ordinal));
        Assert.Equal(rootfs, await File.ReadAllBytesAsync(scenario.TargetPath));
        var timeline = NovaSwupdateScenario.TimelineText(await scenario.JobAsync(swupdateJob));
        Assert.Contains(timeline, t => t.Contains("Reported version 2.1.0", StringComparison.Ordinal));
    }
}
