using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Simulator.Tests.Infrastructure;

/// <summary>Builders for fleets and devices; fast durations and a big time scale by default.</summary>
public static class TestFleet
{
    /// <summary>600: the article's 10 minutes take one real second.</summary>
    public const double Scale = 600;

    public static DeviceSpec Gateway(string id, Action<DeviceSpec>? configure = null)
    {
        var spec = new DeviceSpec
        {
            Id = id,
            Kind = DeviceKind.Gateway,
            Vendor = "Acme",
            Model = "GW-100",
            HwRevision = "1.0",
            Soc = "aarch64",
            FirmwareVersion = "1.0.0",
            BootSeconds = 20,
            FlashWriteSeconds = 40,
            PowerRestoreSeconds = 10,
            RecoveryRetrySeconds = 30,
            PollJitterSeconds = 0,
            LatencyMilliseconds = 0,
            DdiToken = $"token-{id}",
        };
        configure?.Invoke(spec);
        return spec;
    }

    public static DeviceSpec Camera(string id, Action<DeviceSpec>? configure = null) =>
        Gateway(id, spec =>
        {
            spec.Kind = DeviceKind.Camera;
            spec.Vendor = "Optica";
            spec.Model = "CAM-7";
            spec.Soc = "armv7";
            configure?.Invoke(spec);
        });

    public static FleetDefinition Of(params DeviceSpec[] devices) => new() { TimeScale = Scale, Devices = [.. devices] };

    /// <summary>A firmware image that boots on the builder's gateway.</summary>
    public static byte[] GatewayImage(string version = "2.0.0", string soc = "aarch64", string hwRevision = "1.0") =>
        SimulatedImage.Build(version, soc, [hwRevision], vendor: "Acme", model: "GW-100");

    public static async Task<Simulation> StartAsync(FleetDefinition fleet, Nova.Firmware.Simulator.Faces.Recovery.IStockImageFetcher? fetcher = null)
    {
        var simulation = new Simulation(fleet, stockImageFetcher: fetcher);
        simulation.Start();
        foreach (var device in simulation.Devices)
        {
            await simulation.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(10));
        }
        return simulation;
    }
}
