using System.Net;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence;
using Nova.Firmware.Persistence.Packages;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// Maps a TFTP file name to a stock package of the catalog. Only packages of kind stock are ever
/// served. An address name picks the stock image of exactly that device's vendor, model, hardware
/// revision and SoC (the compatibility rule), newest version first. A device that asks by file name
/// is refused an image that does not fit its hardware. Scoped: it reads through the scope's context.
/// </summary>
public sealed class StockImageResolver(FirmwareDbContext db, PackageStore packages)
{
    /// <summary>Devices listed in an ambiguity message; enough to find the duplicate entry.</summary>
    private const int DevicesShown = 5;

    public async Task<StockImageResolution> ResolveAsync(string requested, IPAddress requester, CancellationToken cancellationToken)
    {
        var name = TftpRequestName.Parse(requested);
        if (name is TftpRequestName.AddressName address)
        {
            var resolution = await ForAddressNameAsync(address, cancellationToken);
            if (resolution is not null)
            {
                return resolution;
            }
        }
        var device = await SingleDeviceAtAsync(requester, "requester-address", cancellationToken);
        return name switch
        {
            TftpRequestName.Refused refused => StockImageResolution.Refused(refused.Reason, device),
            TftpRequestName.AddressName a => await ByFileNameAsync(a.Requested, device, cancellationToken,
                $" No device in the inventory has address {a.Address} either (U-Boot asks for its own address in hex)."),
            TftpRequestName.CatalogPath path => await ByCatalogPathAsync(path, device, cancellationToken),
            TftpRequestName.PlainFile plain => await ByFileNameAsync(plain.Requested, device, cancellationToken, ""),
            _ => throw new InvalidOperationException($"Unknown request name {name}."),
        };
    }

    /// <summary>The stock image of the device at that address; null when no device has it (then it may be a file name).</summary>
    private async Task<StockImageResolution?> ForAddressNameAsync(TftpRequestName.AddressName name, CancellationToken ct)
    {
        var devices = await DevicesAtAsync(name.Address, ct);
        if (devices.Count == 0)
        {
            return null;
        }
        if (devices.Count > 1)
        {
            var listed = string.Join(", ", devices.Take(DevicesShown).Select(d => $"'{d.ControllerId}'"));
            return StockImageResolution.NotFound(
                $"'{name.Requested}' is address {name.Address}, which several inventory devices have ({listed}); fix their addresses so one stock image can be chosen.", null);
        }
        var device = ToRescueDevice(devices[0], "address-name");
        var candidates = await packages.CandidatesAsync(device.Identity.Vendor, PackageKind.Stock, ct);
        var package = PackageCompatibility.FindMatching(candidates, device.Identity, PackageKind.Stock);
        return package is null
            ? StockImageResolution.NotFound(
                $"No stock image for {device.Identity}, device '{device.ControllerId}' at {name.Address}; import the vendor's stock image for exactly this model and revision (kind 'stock').", device)
            : StockImageResolution.Serve(package, device);
    }

    private async Task<StockImageResolution> ByCatalogPathAsync(TftpRequestName.CatalogPath path, RescueDevice? device, CancellationToken ct)
    {
        var named = await StockPackages().Where(p => p.FileName == path.FileName).ToListAsync(ct);
        var matching = named.Where(p => Same(p.Vendor, path.Vendor)
            && p.Models.Any(m => Same(m, path.Model))
            && p.HardwareRevisions.Any(r => string.Equals(r.Trim(), path.HardwareRevision, StringComparison.Ordinal))).ToList();
        if (matching.Count == 0)
        {
            return StockImageResolution.NotFound(
                $"No stock image '{path.FileName}' for {path.Vendor} {path.Model} rev {path.HardwareRevision}.", device);
        }
        var socs = matching.Select(p => p.Soc.Trim().ToLowerInvariant()).Distinct().ToList();
        if (socs.Count > 1)
        {
            return StockImageResolution.NotFound(
                $"'{path.Requested}' names stock images for several SoCs ({string.Join(", ", socs)}); ask by the device's address name instead.", device);
        }
        return Checked(Newest(matching), path.Requested, device);
    }

    private async Task<StockImageResolution> ByFileNameAsync(string fileName, RescueDevice? device, CancellationToken ct, string notFoundHint)
    {
        var named = await db.Set<FirmwarePackage>().AsNoTracking().Where(p => p.FileName == fileName).ToListAsync(ct);
        var stock = named.Where(p => p.Kind == PackageKind.Stock).ToList();
        if (stock.Count == 0)
        {
            return named.Count > 0
                ? StockImageResolution.Refused($"'{fileName}' is not a stock image (kind {named[0].Kind.ToWire()}); only stock images are served over TFTP.", device)
                : StockImageResolution.NotFound($"No stock image named '{fileName}'.{notFoundHint}", device);
        }
        var hardware = stock.Select(HardwareKey).Distinct(StringComparer.Ordinal).ToList();
        if (hardware.Count > 1)
        {
            return StockImageResolution.NotFound(
                $"'{fileName}' names stock images for different hardware ({string.Join("; ", hardware)}); ask for vendor/model/revision/{fileName} or by the device's address name.", device);
        }
        return Checked(Newest(stock), fileName, device);
    }

    /// <summary>Serves the package unless the asking device is in the inventory and the image does not fit it.</summary>
    private static StockImageResolution Checked(FirmwarePackage package, string requested, RescueDevice? device)
    {
        if (device is not null && PackageCompatibility.Check(package, device.Identity) is { Fits: false } result)
        {
            return StockImageResolution.Refused(
                $"'{requested}' does not fit device '{device.ControllerId}' at this address: {result.Mismatches[0].Reason}", device);
        }
        return StockImageResolution.Serve(package, device);
    }

    private async Task<RescueDevice?> SingleDeviceAtAsync(IPAddress requester, string foundBy, CancellationToken ct)
    {
        var devices = await DevicesAtAsync(requester, ct);
        return devices.Count == 1 ? ToRescueDevice(devices[0], foundBy) : null;
    }

    /// <summary>
    /// Devices whose Address host is <paramref name="address"/>. The database narrows by substring
    /// (the same on SQLite and PostgreSQL); the exact host comparison happens here.
    /// </summary>
    private async Task<List<Device>> DevicesAtAsync(IPAddress address, CancellationToken ct)
    {
        address = DeviceAddresses.Normalize(address);
        var text = address.ToString();
        var candidates = await db.Set<Device>().AsNoTracking()
            .Where(d => d.Address != null && d.Address.Contains(text))
            .OrderBy(d => d.ControllerId)
            .ToListAsync(ct);
        return candidates.Where(d => address.Equals(DeviceAddresses.HostOf(d.Address))).ToList();
    }

    private IQueryable<FirmwarePackage> StockPackages() =>
        db.Set<FirmwarePackage>().AsNoTracking().Where(p => p.Kind == PackageKind.Stock);

    private static RescueDevice ToRescueDevice(Device device, string foundBy) =>
        new(device.Id, device.ControllerId, DeviceIdentity.Of(device), foundBy);

    /// <summary>Highest version, then most recently imported: the order the compatibility rule uses.</summary>
    private static FirmwarePackage Newest(IEnumerable<FirmwarePackage> packages) =>
        packages.OrderByDescending(p => p.Version, PackageVersionComparer.Instance).ThenByDescending(p => p.ImportedAt).ThenBy(p => p.Id).First();

    /// <summary>Which hardware a package is for; case folded where the compatibility rule ignores case (not revisions).</summary>
    private static string HardwareKey(FirmwarePackage p)
    {
        var models = string.Join(",", p.Models.Select(m => m.Trim().ToLowerInvariant()).Order(StringComparer.Ordinal));
        var revisions = string.Join(",", p.HardwareRevisions.Select(r => r.Trim()).Order(StringComparer.Ordinal));
        return $"{p.Vendor.Trim().ToLowerInvariant()} {models} rev {revisions} ({p.Soc.Trim().ToLowerInvariant()})";
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
