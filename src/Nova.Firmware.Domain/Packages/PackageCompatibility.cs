using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Domain.Packages;

// TEMPORARY (replaced by the catalog's rule at merge).
public static class PackageCompatibility
{
    public static IReadOnlyList<string> Problems(FirmwarePackage package, Device device)
    {
        var problems = new List<string>();
        if (!package.Vendor.Equals(device.Vendor, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Package is for vendor {package.Vendor}, device is {device.Vendor}.");
        }
        if (!package.Models.Contains(device.Model, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Package is for models {string.Join(", ", package.Models)}, device is {device.Model}.");
        }
        if (!package.HardwareRevisions.Contains(device.HardwareRevision, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Package is for hardware revisions {string.Join(", ", package.HardwareRevisions)}, device is revision {device.HardwareRevision}.");
        }
        if (!package.Soc.Equals(device.Soc, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Package is built for SoC {package.Soc}, device has {device.Soc}.");
        }
        return problems;
    }
}
