extern alias simulator;

using simulator::Nova.Firmware.Simulator.Devices;
using simulator::Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.Cli.Demo;

/// <summary>
/// The demo's packages: for every model and hardware revision in the fleet, the next version as an
/// image the simulated devices boot. Gateways get it in a <c>.swu</c> made by <c>novafw packages build</c>,
/// cameras as the raw image ONVIF uploads.
/// </summary>
public static class DemoPackages
{
    public sealed record Plan(string Vendor, string Model, string Revision, string Soc, string Version, bool Bundle, string ImagePath);

    public static IReadOnlyList<Plan> Write(FleetDefinition fleet, string directory)
    {
        Directory.CreateDirectory(directory);
        return fleet.ExpandDevices()
            .GroupBy(d => (d.Vendor, d.Model, d.HwRevision, d.Soc, d.Kind))
            .Select(g =>
            {
                var (vendor, model, revision, soc, kind) = g.Key;
                var version = NextVersion(g.First().FirmwareVersion);
                var image = SimulatedImage.Build(version, soc, [revision], 256 * 1024, vendor: vendor, model: model);
                var path = Path.Combine(directory, $"{model.ToLowerInvariant()}-rev{revision}-{version}.img");
                File.WriteAllBytes(path, image);
                return new Plan(vendor, model, revision, soc, version, kind == DeviceKind.Gateway, path);
            })
            .ToList();
    }

    /// <summary>1.0.0 → 2.0.0, 5.2.0 → 5.3.0: a major step for gateways' first version, a minor one otherwise.</summary>
    private static string NextVersion(string current)
    {
        var parts = current.Split('.');
        if (parts.Length == 3 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor))
        {
            return major == 1 && minor == 0 ? "2.0.0" : $"{major}.{minor + 1}.0";
        }
        return current + "-next";
    }
}
