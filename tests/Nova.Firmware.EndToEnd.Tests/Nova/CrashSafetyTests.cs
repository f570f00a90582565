using System.Net.Http.Json;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// kill -9 of the server in the middle of 50 running device jobs (some of them rebooting), then
/// a restart on the same data: every job succeeds and every device is flashed exactly once, by the
/// simulator's own count.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Devices = 50;
    private static readonly string[] Final = ["succeeded", "failed", "blocked", "cancelled"];
    private static readonly string[] InFlight = ["transferring", "flashing", "rebooting", "verifying"];

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Nova:Engine:TickInterval"] = "00:00:00.100",
        ["Nova:Engine:RecheckInterval"] = "00:00:00.200",
        // A crashed replica's leases are taken over after this.
        ["Nova:Engine:LeaseDuration"] = "00:00:05",
        ["Nova:Engine:Deadlines:Transfer"] = "00:00:30",
        ["Nova:Engine:Deadlines:Flash"] = "00:00:20",
        ["Nova:Engine:Deadlines:Reboot"] = "00:00:30",
        ["Nova:Engine:Deadlines:Health"] = "00:00:30",
        ["Nova:Ddi:PollSleep"] = "00:00:05",
        ["Nova:Ddi:ActivePollSleep"] = "00:00:05",
        ["Nova:Ddi:LastSeenFlushInterval"] = "00:00:00.500",
    };

    [Fact(Timeout = 300_000)]
    public async Task KillDashNine_During50Jobs_AllFinishAndNoDeviceIsFlashedTwice()
    {
        var data = Path.Combine(Path.GetTempPath(), "nova-crash-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        await using var server = new ServerProcess(data, Settings);
        await server.StartAsync();
        using var admin = Admin(server);

        var template = SimulatedFleetScenario.Gateway("tpl");
        template.FlashWriteSeconds = 30; // 3 s of real time at scale 10: long enough to be caught mid-write
        template.BootSeconds = 50; // 5 s of real time: a wide window to kill while devices reboot
        var fleet = new FleetDefinition
        {
            TimeScale = SimulatedFleetScenario.TimeScale,
            Groups = [new DeviceGroup { Count = Devices, IdPrefix = "gw-", Template = template }],
        };
        fleet.Ddi.ServerUrl = server.BaseAddress;
        fleet.Ddi.RetryWaitSeconds = 1;
        var specs = fleet.ExpandDevices().ToList();
        var ids = new Dictionary<string, Guid>();
        foreach (var spec in specs)
        {
            spec.DdiToken = $"token-{spec.Id}-0123456789";
            ids[spec.Id] = await FleetSteps.EnrolAsync(admin, spec);
        }
        await using var simulation = new Simulation(new FleetDefinition
        {
            TimeScale = fleet.TimeScale, Ddi = fleet.Ddi, Devices = specs,
        });
        simulation.Start();
        var package = await FleetSteps.ImportAsync(admin);
        await FleetSteps.WaitAsync(async () => (await FleetSteps.JobsAsync(admin)).Count == 0 && await FleetSteps.AllReportedAsync(admin, ids.Values), TimeSpan.FromSeconds(60), "every device's first report");

        foreach (var id in ids.Values)
        {
            var created = await admin.PostAsJsonAsync($"/api/v1/devices/{id}/jobs", new { packageId = package });
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }
        // Kill while devices reboot into the new image (they report the result while the server is
        // down), not only while they download.
        await FleetSteps.WaitAsync(async () =>
        {
            var jobs = await FleetSteps.JobsAsync(admin);
            return jobs.Count(j => InFlight.Contains(j.Status)) >= 10 && jobs.Count(j => j.Status == "rebooting") >= 3;
        }, TimeSpan.FromSeconds(90), "10 jobs in flight, 3 of them rebooting");
        var before = await FleetSteps.JobsAsync(admin);
        output.WriteLine("At the kill: " + string.Join(", ", before.GroupBy(j => j.Status).Select(g => $"{g.Key} {g.Count()}")));

        await server.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // devices keep working (and failing to report) meanwhile
        await server.StartAsync();

        await FleetSteps.WaitAsync(async () => (await FleetSteps.JobsAsync(admin)).All(j => Final.Contains(j.Status)), TimeSpan.FromSeconds(150), "every job to end");
        var after = await FleetSteps.JobsAsync(admin);
        output.WriteLine("After restart: " + string.Join(", ", after.GroupBy(j => j.Status).Select(g => $"{g.Key} {g.Count()}")));

        Assert.Equal(Devices, after.Count);
        // Nothing was wrong with the devices: a server crash must cost no flash. Devices that could not
        // report while it was down report again (as SWUpdate does), so every job succeeds, once.
        foreach (var spec in specs)
        {
            var truth = simulation.Truth(spec.Id);
            var job = after.Single(j => j.DeviceId == ids[spec.Id]);
            Assert.True(job.Status == "succeeded", $"{spec.Id}: job {job.Id} ended {job.Status}.");
            Assert.True(truth.FlashCount == 1, $"{spec.Id} was flashed {truth.FlashCount} times.");
            Assert.Equal("2.0.0", truth.RunningVersion);
        }
    }

    private static HttpClient Admin(ServerProcess server) => NovaApi.Admin(server.BaseAddress);
}
