namespace Nova.Firmware.Domain.Packages;

/// <summary>
/// Whether a package may be flashed onto a device. Compatibility is data and it is exact: the vendor
/// matches (ignoring case), the device's model is one of the package's models (ignoring case), its
/// hardware revision is one of the package's revisions (exactly: "1.0" is not "1.00"), and the SoC
/// matches (ignoring case). There is no "close enough": a package for another hardware revision is
/// refused even when every other field matches and the device would accept the file, because that
/// is how devices get bricked. Stock and SD-recovery images follow the same rule.
/// </summary>
public static class PackageCompatibility
{
    public static CompatibilityResult Check(FirmwarePackage package, DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(device);
        var mismatches = new List<CompatibilityMismatch>();
        if (!Same(package.Vendor, device.Vendor))
        {
            mismatches.Add(new(CompatibilityField.Vendor, $"The package is for vendor '{package.Vendor}', the device is made by '{device.Vendor}'."));
        }
        if (!package.Models.Any(m => Same(m, device.Model)))
        {
            mismatches.Add(new(CompatibilityField.Model, $"The package is for model {List(package.Models)}, the device is a '{device.Model}'."));
        }
        if (!package.HardwareRevisions.Any(r => string.Equals(r.Trim(), device.HardwareRevision.Trim(), StringComparison.Ordinal)))
        {
            mismatches.Add(new(CompatibilityField.HardwareRevision,
                $"The package is for hardware revision {List(package.HardwareRevisions)}, the device is revision '{device.HardwareRevision}'; packages never cross hardware revisions."));
        }
        if (!Same(package.Soc, device.Soc))
        {
            mismatches.Add(new(CompatibilityField.Soc, $"The package is built for SoC '{package.Soc}', the device has '{device.Soc}'."));
        }
        return new CompatibilityResult(mismatches);
    }

    public static bool Fits(FirmwarePackage package, DeviceIdentity device) => Check(package, device).Fits;

    /// <summary>
    /// The package of <paramref name="kind"/> the device should use, or null: among the packages that
    /// fit, the highest version, then the most recently imported. This is what the pre-flight gate
    /// names when it refuses a package ("use package X instead").
    /// </summary>
    public static FirmwarePackage? FindMatching(IEnumerable<FirmwarePackage> packages, DeviceIdentity device, PackageKind kind) =>
        AllMatching(packages, device, kind).FirstOrDefault();

    /// <summary>Every package of <paramref name="kind"/> that fits the device, best first.</summary>
    public static IReadOnlyList<FirmwarePackage> AllMatching(IEnumerable<FirmwarePackage> packages, DeviceIdentity device, PackageKind kind) =>
        packages.Where(p => p.Kind == kind && Fits(p, device))
            .OrderByDescending(p => p.Version, PackageVersionComparer.Instance)
            .ThenByDescending(p => p.ImportedAt)
            .ThenBy(p => p.Id)
            .ToList();

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string List(IReadOnlyCollection<string> values) =>
        values.Count == 0 ? "(none listed)" : string.Join(", ", values.Select(v => $"'{v}'"));
}
