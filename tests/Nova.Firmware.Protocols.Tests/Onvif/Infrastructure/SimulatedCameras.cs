using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;

/// <summary>Simulated cameras on 127.0.0.1 (ONVIF, vendor API, control API), time 600x faster.</summary>
public sealed class SimulatedCameras : IAsyncDisposable
{
    private SimulatedCameras(Simulation simulation, WebApplication app)
    {
        Simulation = simulation;
        App = app;
        BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public Simulation Simulation { get; }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public Uri DeviceService(string id) => new(BaseUrl, $"onvif/{id}/device_service");

    /// <summary>A camera as the simulator tests build it: Optica CAM-7, armv7, hardware 1.0, firmware 1.0.0, admin/admin.</summary>
    public static DeviceSpec Camera(string id, Action<DeviceSpec>? configure = null)
    {
        var spec = new DeviceSpec
        {
            Id = id,
            Kind = DeviceKind.Camera,
            Vendor = "Optica",
            Model = "CAM-7",
            HwRevision = "1.0",
            Soc = "armv7",
            Serial = $"SN-{id}",
            FirmwareVersion = "1.0.0",
            BootSeconds = 20,
            FlashWriteSeconds = 40,
            PowerRestoreSeconds = 10,
            RecoveryRetrySeconds = 30,
            PollJitterSeconds = 0,
            LatencyMilliseconds = 0,
        };
        configure?.Invoke(spec);
        return spec;
    }

    /// <summary>An image the camera above accepts and boots.</summary>
    public static byte[] CameraImage(string version = "3.1.0", string soc = "armv7") =>
        SimulatedImage.Build(version, soc, ["1.0"], vendor: "Optica", model: "CAM-7");

    public static async Task<SimulatedCameras> StartAsync(params DeviceSpec[] devices)
    {
        var simulation = new Simulation(new FleetDefinition { TimeScale = 600, Devices = [.. devices] });
        simulation.Start();
        foreach (var device in simulation.Devices)
        {
            await simulation.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(10));
        }

        return new SimulatedCameras(simulation, await SimulatorApp.StartAsync(simulation));
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Simulation.DisposeAsync();
    }
}
