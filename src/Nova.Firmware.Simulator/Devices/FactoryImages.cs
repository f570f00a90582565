using System.Collections.Concurrent;

namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// The image a device leaves the factory with. Built with <see cref="SimulatedImage.Build"/> so its
/// SHA-256 is the one a stock image of the same version has; cached because fleets share models.
/// </summary>
public static class FactoryImages
{
    private static readonly ConcurrentDictionary<(string, string, string, string, string), ImageFacts> Cache = new();

    public static ImageFacts For(DeviceSpec spec) =>
        Cache.GetOrAdd((spec.Vendor, spec.Model, spec.FirmwareVersion, spec.Soc, spec.HwRevision), static key =>
            SimulatedImage.Inspect(Build(key.Item1, key.Item2, key.Item3, key.Item4, key.Item5)));

    /// <summary>The bytes of a stock image for a model (what a vendor would publish for recovery).</summary>
    public static byte[] Build(string vendor, string model, string version, string soc, string hwRevision) =>
        SimulatedImage.Build(version, soc, [hwRevision], vendor: vendor, model: model);
}
