using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;
using Xunit.Abstractions;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// kill -9 of the server in the middle of 50 running device jobs, then a restart on the same data:
/// every job reaches a final status and no device is flashed twice, by the simulator's own count.
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
        ["Nova:Engine:Deadlines:Reboot"] = "00:00:20",
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
        template.BootSeconds = 20;
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
            ids[spec.Id] = await EnrolAsync(admin, spec);
        }
        await using var simulation = new Simulation(new FleetDefinition
        {
            TimeScale = fleet.TimeScale, Ddi = fleet.Ddi, Devices = specs,
        });
        simulation.Start();
        var package = await ImportAsync(admin);
        await WaitAsync(async () => (await Jobs(admin)).Count == 0 && await AllReportedAsync(admin, ids.Values), TimeSpan.FromSeconds(60), "every device's first report");

        foreach (var id in ids.Values)
        {
            var created = await admin.PostAsJsonAsync($"/api/v1/devices/{id}/jobs", new { packageId = package });
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }
        await WaitAsync(async () => (await Jobs(admin)).Count(j => InFlight.Contains(j.Status)) >= 10, TimeSpan.FromSeconds(60), "10 jobs in flight");
        var before = await Jobs(admin);
        output.WriteLine("At the kill: " + string.Join(", ", before.GroupBy(j => j.Status).Select(g => $"{g.Key} {g.Count()}")));

        await server.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // devices keep working (and failing to report) meanwhile
        await server.StartAsync();

        await WaitAsync(async () => (await Jobs(admin)).All(j => Final.Contains(j.Status)), TimeSpan.FromSeconds(150), "every job to end");
        var after = await Jobs(admin);
        output.WriteLine("After restart: " + string.Join(", ", after.GroupBy(j => j.Status).Select(g => $"{g.Key} {g.Count()}")));

        Assert.Equal(Devices, after.Count);
        foreach (var spec in specs)
        {
            var truth = simulation.Truth(spec.Id);
            Assert.True(truth.FlashCount <= 1, $"{spec.Id} was flashed {truth.FlashCount} times.");
            var job = after.Single(j => j.DeviceId == ids[spec.Id]);
            if (job.Status == "succeeded")
            {
                Assert.Equal("2.0.0", truth.RunningVersion);
            }
        }
        Assert.Contains(after, j => j.Status == "succeeded");
    }

    private sealed record JobRow(long Id, Guid DeviceId, string Status);

    private static async Task<List<JobRow>> Jobs(HttpClient admin)
    {
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/jobs?pageSize=500");
        return page.GetProperty("items").EnumerateArray()
            .Select(j => new JobRow(j.GetProperty("id").GetInt64(), j.GetProperty("deviceId").GetGuid(), j.GetProperty("status").GetString()!)).ToList();
    }

    private static async Task<bool> AllReportedAsync(HttpClient admin, IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            var device = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{id}");
            if (device.GetProperty("health").GetProperty("lastSeenAt").ValueKind == JsonValueKind.Null)
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<Guid> EnrolAsync(HttpClient admin, DeviceSpec spec)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/devices", new
        {
            controllerId = spec.Id, vendor = spec.Vendor, model = spec.Model, hardwareRevision = spec.HwRevision, soc = spec.Soc,
            serial = spec.Id, kind = "gateway", protocol = "ddi", firmware = new { activeVersion = "1.0.0" },
            capabilities = new { abSlots = true },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync($"/api/v1/devices/{id}/ddi-token", new { token = spec.DdiToken })).EnsureSuccessStatusCode();
        return id;
    }

    private static async Task<Guid> ImportAsync(HttpClient admin)
    {
        var image = SimulatedImage.Build("2.0.0", "aarch64", ["1.0"], 64 * 1024, vendor: "Acme", model: "GW-100");
        using var form = NovaApi.PackageForm("Acme", "2.0.0", "GW-100", "1.0", "aarch64", image, "gw-100-2.0.0.img");
        var response = await admin.PostAsync("/api/v1/packages", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var until = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
            await Task.Delay(250);
        }
    }

    private static HttpClient Admin(ServerProcess server) => NovaApi.Admin(server.BaseAddress);
}
