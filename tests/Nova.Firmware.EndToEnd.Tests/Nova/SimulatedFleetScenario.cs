using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;
using SimKind = Nova.Firmware.Simulator.Devices.DeviceKind;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// The Nova server on real Kestrel and a simulated fleet of DDI gateways polling it. Each simulated
/// device is in the inventory with its own target token; tests read the simulator's truth.
/// </summary>
public sealed class SimulatedFleetScenario : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    /// <summary>10 simulated seconds per real second; the server's 5 s poll sleep is half a real second.</summary>
    public const double TimeScale = 10;

    public static readonly IReadOnlyDictionary<string, string> ServerSettings = new Dictionary<string, string>(NovaServer.FastEngine)
    {
        ["Nova:Ddi:PollSleep"] = "00:00:05",
        ["Nova:Ddi:ActivePollSleep"] = "00:00:05",
    };

    private SimulatedFleetScenario(NovaServer server, Simulation simulation)
    {
        Server = server;
        Simulation = simulation;
    }

    public NovaServer Server { get; }
    public Simulation Simulation { get; }

    public static DeviceSpec Gateway(string id, string revision = "1.0") => new()
    {
        Id = id, Kind = SimKind.Gateway, Vendor = "Acme", Model = "GW-100", HwRevision = revision, Soc = "aarch64", Serial = id,
        FirmwareVersion = "1.0.0", DdiToken = $"token-{id}-0123456789", BootSeconds = 5, FlashWriteSeconds = 5, PollJitterSeconds = 1,
    };

    public static async Task<SimulatedFleetScenario> StartAsync(FleetDefinition fleet, IReadOnlyDictionary<string, string>? extraSettings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string>(ServerSettings);
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        var server = await NovaServer.StartKestrelAsync(configureServices: configureServices, settings: settings);
        fleet.TimeScale = TimeScale;
        fleet.Ddi.ServerUrl = server.BaseAddress;
        fleet.Ddi.RetryWaitSeconds = 1;
        foreach (var spec in fleet.ExpandDevices())
        {
            await EnrolAsync(server, spec);
        }
        var simulation = new Simulation(fleet);
        simulation.Start();
        var scenario = new SimulatedFleetScenario(server, simulation);
        foreach (var spec in fleet.ExpandDevices())
        {
            await scenario.WaitForReportAsync(spec.Id, _ => true);
        }
        return scenario;
    }

    private static async Task EnrolAsync(NovaServer server, DeviceSpec spec)
    {
        var device = FleetBuilder.Gateway(spec.Id, spec.Model, spec.HwRevision, spec.Soc);
        device.Vendor = spec.Vendor;
        device.Capabilities.AbSlots = spec.Layout == FlashLayout.AB;
        // The inventory knows each device's PoE switch and port, as an installer would have entered them.
        device.PowerFeed = new PowerFeed { SwitchId = spec.PoeSwitch, Port = spec.PoeSwitch is null ? null : spec.PoePort };
        await server.AddDeviceAsync(device);
        using var admin = Admin(server);
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{device.Id}/ddi-token", new { token = spec.DdiToken });
        response.EnsureSuccessStatusCode();
    }

    public async Task<Guid> DeviceIdAsync(string controllerId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        return await db.Set<Device>().Where(d => d.ControllerId == controllerId).Select(d => d.Id).SingleAsync();
    }

    /// <summary>Waits until the server holds a report from the device that satisfies <paramref name="condition"/>.</summary>
    public Task<DeviceReport> WaitForReportAsync(string controllerId, Func<DeviceReport, bool> condition) =>
        Eventually.GetAsync(async () =>
        {
            await using var scope = Server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            return await db.Set<Device>().Where(d => d.ControllerId == controllerId)
                .Join(db.Set<DeviceReport>(), d => d.Id, r => r.DeviceId, (d, r) => r).SingleOrDefaultAsync();
        }, r => r is not null && condition(r), StepTimeout, $"a report from {controllerId}").ContinueWith(t => t.Result!, TaskScheduler.Default);

    /// <summary>Imports a simulator image as a raw package through the management API.</summary>
    public async Task<Guid> ImportImageAsync(string version, string revision, int payloadBytes = 64 * 1024)
    {
        var image = SimulatedImage.Build(version, "aarch64", [revision], payloadBytes, vendor: "Acme", model: "GW-100");
        using var admin = Admin(Server);
        using var form = NovaApi.PackageForm("Acme", version, "GW-100", revision, "aarch64", image, $"gw-100-{version}-rev{revision}.img");
        var response = await admin.PostAsync("/api/v1/packages", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Import failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    public async Task<long> StartJobAsync(string controllerId, Guid packageId)
    {
        using var admin = Admin(Server);
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{await DeviceIdAsync(controllerId)}/jobs", new { packageId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public Task<JsonElement> JobInStatusAsync(long jobId, params string[] statuses) =>
        Eventually.GetAsync(async () =>
        {
            using var admin = Admin(Server);
            return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
        }, j => statuses.Contains(j.GetProperty("status").GetString()), StepTimeout, $"job {jobId} to reach {string.Join("/", statuses)}");

    public static HttpClient Admin(NovaServer server) => NovaApi.Admin(server.BaseAddress);

    public async ValueTask DisposeAsync()
    {
        await Simulation.DisposeAsync();
        await Server.DisposeAsync();
    }
}
