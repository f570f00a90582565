using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;
using DomainKind = Nova.Firmware.Domain.Devices.DeviceKind;
using DomainProtocol = Nova.Firmware.Domain.Devices.DeviceProtocol;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// Nova beside simulated ONVIF cameras on 127.0.0.1 (their ONVIF and vendor faces over real HTTP),
/// each camera enrolled the way an operator does it: inventory entry with its device service
/// address, credentials through the API.
/// </summary>
public sealed class CameraScenario : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    private CameraScenario(NovaServer server, Simulation simulation, WebApplication cameras)
    {
        Server = server;
        Simulation = simulation;
        Cameras = cameras;
        BaseUrl = new Uri(cameras.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public NovaServer Server { get; }
    public Simulation Simulation { get; }
    public WebApplication Cameras { get; }
    public Uri BaseUrl { get; }

    /// <summary>Optica CAM-7 rev 1.0 on armv7, firmware 1.0.0, ONVIF user admin/admin.</summary>
    public static DeviceSpec Camera(string id) => new()
    {
        Id = id, Kind = DeviceKind.Camera, Vendor = "Optica", Model = "CAM-7", HwRevision = "1.0", Soc = "armv7", Serial = $"SN-{id}",
        FirmwareVersion = "1.0.0", BootSeconds = 20, FlashWriteSeconds = 40, PowerRestoreSeconds = 10, RecoveryRetrySeconds = 30,
        PollJitterSeconds = 0, LatencyMilliseconds = 0,
    };

    public static async Task<CameraScenario> StartAsync(IEnumerable<DeviceSpec> cameras, IReadOnlyDictionary<string, string>? settings = null, double timeScale = 60)
    {
        var all = new Dictionary<string, string>(NovaServer.FastEngine);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        var server = await NovaServer.StartAsync(settings: all);
        var simulation = new Simulation(new FleetDefinition { TimeScale = timeScale, Devices = [.. cameras] });
        simulation.Start();
        foreach (var device in simulation.Devices)
        {
            await simulation.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, StepTimeout);
        }
        return new CameraScenario(server, simulation, await SimulatorApp.StartAsync(simulation));
    }

    /// <summary>Enrols the camera as an operator would; returns its inventory id.</summary>
    public async Task<Guid> EnrolAsync(string id, string password = "admin")
    {
        var device = FleetBuilder.Gateway(id, "CAM-7", "1.0", "armv7");
        device.Vendor = "Optica";
        device.Kind = DomainKind.Camera;
        device.Protocol = DomainProtocol.Onvif;
        device.Address = new Uri(BaseUrl, $"onvif/{id}/device_service").ToString();
        await Server.AddDeviceAsync(device);
        using var admin = Server.CreateAdminClient();
        var set = await admin.PutAsJsonAsync($"/api/v1/devices/{device.Id}/credentials", new { username = "admin", password });
        Assert.True(set.IsSuccessStatusCode, $"Setting credentials failed: {(int)set.StatusCode} {await set.Content.ReadAsStringAsync()}");
        return device.Id;
    }

    /// <summary>Imports an image for the camera; <paramref name="contentSoc"/> other than armv7 makes an image the camera refuses although the catalog entry fits.</summary>
    public async Task<Guid> ImportImageAsync(string version, string contentSoc = "armv7", int payloadBytes = 256 * 1024)
    {
        var image = SimulatedImage.Build(version, contentSoc, ["1.0"], payloadBytes: payloadBytes, vendor: "Optica", model: "CAM-7");
        using var admin = Server.CreateAdminClient();
        using var form = NovaApi.PackageForm("Optica", version, "CAM-7", "1.0", "armv7", image, $"cam7-{version}-{contentSoc}.img");
        var response = await admin.PostAsync("/api/v1/packages", form);
        Assert.True(response.IsSuccessStatusCode, $"Import failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<long> StartJobAsync(Guid deviceId, Guid packageId)
    {
        using var admin = Server.CreateAdminClient();
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{deviceId}/jobs", new { packageId });
        Assert.True(response.IsSuccessStatusCode, $"Job refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public Task<JsonElement> JobInStatusAsync(long jobId, params string[] statuses) =>
        Eventually.GetAsync(async () =>
        {
            using var admin = Server.CreateAdminClient();
            return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
        }, j => statuses.Contains(j.GetProperty("status").GetString()), StepTimeout, $"job {jobId} to reach {string.Join("/", statuses)}");

    public async ValueTask DisposeAsync()
    {
        await Cameras.DisposeAsync();
        await Simulation.DisposeAsync();
        await Server.DisposeAsync();
    }
}
