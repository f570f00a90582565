using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>One kind of hardware in the fleet (a matrix column) and how many devices are of it.</summary>
public sealed record FleetHardware(DeviceIdentity Identity, int Devices)
{
    public string Label => $"{Identity.Model} rev {Identity.HardwareRevision}";
}

/// <summary>One cell: whether the package fits that hardware, and if not, the catalog's reasons.</summary>
public sealed record MatrixCell(bool Fits, IReadOnlyList<string> Reasons);

/// <summary>
/// The firmware page's compatibility matrix: rows are the catalog's packages, columns the fleet's
/// distinct hardware (vendor, model, hardware revision, SoC), each cell decided by the catalog's
/// own rule (<see cref="PackageCompatibility"/>), the one rollouts and the compatible-packages
/// call apply. One grouped query for the fleet, so 10,000 devices cost a handful of columns.
/// </summary>
public sealed record CompatibilityMatrix(IReadOnlyList<FleetHardware> Hardware, IReadOnlyList<FirmwarePackage> Packages, IReadOnlyList<IReadOnlyList<MatrixCell>> Cells)
{
    public static async Task<CompatibilityMatrix> ReadAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<FirmwareDbContext>();
        var hardware = (await db.Set<Device>()
                .GroupBy(d => new { d.Vendor, d.Model, d.HardwareRevision, d.Soc })
                .Select(g => new { g.Key.Vendor, g.Key.Model, g.Key.HardwareRevision, g.Key.Soc, Count = g.Count() })
                .ToListAsync(ct))
            .Select(h => new FleetHardware(new DeviceIdentity(h.Vendor, h.Model, h.HardwareRevision, h.Soc), h.Count))
            .OrderBy(h => h.Identity.Vendor, StringComparer.Ordinal).ThenBy(h => h.Identity.Model, StringComparer.Ordinal)
            .ThenBy(h => h.Identity.HardwareRevision, StringComparer.Ordinal).ThenBy(h => h.Identity.Soc, StringComparer.Ordinal)
            .ToList();
        var packages = (await db.Set<FirmwarePackage>().AsNoTracking().ToListAsync(ct))
            .OrderBy(p => p.Vendor, StringComparer.Ordinal).ThenByDescending(p => p.Version, PackageVersionComparer.Instance).ToList();
        var cells = packages.Select(p => (IReadOnlyList<MatrixCell>)hardware.Select(h =>
        {
            var check = PackageCompatibility.Check(p, h.Identity);
            return new MatrixCell(check.Fits, [.. check.Mismatches.Select(m => m.Reason)]);
        }).ToList()).ToList();
        return new CompatibilityMatrix(hardware, packages, cells);
    }
}
