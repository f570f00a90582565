extern alias simulator;

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Server.Endpoints.Management.Discovery;
using simulator::Nova.Firmware.Simulator;
using simulator::Nova.Firmware.Simulator.Devices;
using simulator::Nova.Firmware.Simulator.Faces.Onvif;
using simulator::Nova.Firmware.Simulator.Faults;
using simulator::Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Server.Tests.Discovery;

/// <summary>
/// Simulated cameras on 127.0.0.1 (ONVIF over HTTP) with the simulator's WS-Discovery responder on
/// a free UDP port, probed by unicast only: tests never depend on multicast working on the host.
/// </summary>
public sealed class CameraNetwork : IAsyncDisposable
{
    private readonly Simulation _simulation;
    private readonly WebApplication _app;
    private readonly WsDiscoveryResponder _responder;
    private readonly Uri _baseUrl;

    private CameraNetwork(Simulation simulation, WebApplication app, WsDiscoveryResponder responder, Uri baseUrl)
    {
        _simulation = simulation;
        _app = app;
        _responder = responder;
        _baseUrl = baseUrl;
    }

    /// <summary>Where the responder listens, as the probe API takes it.</summary>
    public string Target => $"127.0.0.1:{_responder.Port}";

    /// <summary>
    /// A camera: Optica CAM-7, HardwareId "1.0/armv7", firmware 1.0.0, serial SN-{id}, admin/admin.
    /// <paramref name="configure"/> changes what a test is about.
    /// </summary>
    public static DeviceSpec Camera(string id, Action<DeviceSpec>? configure = null)
    {
        var spec = new DeviceSpec
        {
            Id = id, Kind = DeviceKind.Camera, Vendor = "Optica", Model = "CAM-7", HwRevision = "1.0", Soc = "armv7",
            Serial = $"SN-{id}", FirmwareVersion = "1.0.0", BootSeconds = 20, PollJitterSeconds = 0, LatencyMilliseconds = 0,
        };
        configure?.Invoke(spec);
        return spec;
    }

    public static Task<CameraNetwork> StartAsync(params string[] ids) => StartAsync([.. ids.Select(id => Camera(id))]);

    public static async Task<CameraNetwork> StartAsync(params DeviceSpec[] cameras)
    {
        // Simulated time runs 600x faster, so the cameras finish booting within milliseconds.
        var simulation = new Simulation(new FleetDefinition { TimeScale = 600, Devices = [.. cameras] });
        simulation.Start();
        foreach (var camera in simulation.Devices)
        {
            await simulation.WaitForAsync(camera.Id, d => d.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(10));
        }
        var app = await SimulatorApp.StartAsync(simulation);
        var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        var responder = new WsDiscoveryResponder(simulation, baseUrl);
        responder.Start(IPAddress.Loopback, 0);
        return new CameraNetwork(simulation, app, responder, baseUrl);
    }

    /// <summary>The camera's device service URL, as its ProbeMatch advertises it.</summary>
    public string DeviceService(string id) => new Uri(_baseUrl, $"onvif/{id}/device_service").AbsoluteUri;

    /// <summary>The camera drops off the network: it answers neither Probes nor SOAP.</summary>
    public void Unplug(string id) => _simulation.InjectFault(id, new FaultRequest(FaultKind.Unreachable));

    /// <summary>A unicast probe of this network, with the shortest window.</summary>
    public OnvifProbeRequest Probe(string? site, bool identify = true) =>
        new([Target], Multicast: false, TimeoutSeconds: 1, Site: site, Identify: identify);

    public async ValueTask DisposeAsync()
    {
        await _responder.DisposeAsync();
        await _app.DisposeAsync();
        await _simulation.DisposeAsync();
    }
}
