using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Packages;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Builders;

/// <summary>Puts devices and packages straight into a test server's store: each test builds its own.</summary>
public static class FleetBuilder
{
    public static Device Gateway(string? controllerId = null, string model = "GW-100", string revision = "1.0", string soc = "aarch64") => new()
    {
        Id = Guid.NewGuid(),
        ControllerId = controllerId ?? "gw-" + Guid.NewGuid().ToString("N")[..10],
        Vendor = "Acme",
        Model = model,
        HardwareRevision = revision,
        Soc = soc,
        Serial = "SN" + Guid.NewGuid().ToString("N")[..8],
        Kind = DeviceKind.Gateway,
        Protocol = DeviceProtocol.Ddi,
        Firmware = new FirmwareState { ActiveVersion = "1.0.0" },
    };

    public static async Task<Device> AddDeviceAsync(this NovaServer server, Device device)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        db.Add(device);
        await db.SaveChangesAsync();
        return device;
    }

    public static async Task AddDevicesAsync(this NovaServer server, IEnumerable<Device> devices)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        db.AddRange(devices);
        await db.SaveChangesAsync();
    }

    /// <summary>Stores <paramref name="content"/> as a package the way an import would: blob by SHA-256, hashes recorded.</summary>
    public static async Task<FirmwarePackage> AddPackageAsync(this NovaServer server, byte[] content, string version = "2.0.0", string model = "GW-100",
        string revision = "1.0", string soc = "aarch64", string fileName = "update.swu", PackageKind kind = PackageKind.Update,
        DateTimeOffset? importedAt = null)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var package = new FirmwarePackage
        {
            Id = Guid.NewGuid(), Vendor = "Acme", Version = version, Models = [model], HardwareRevisions = [revision], Soc = soc,
            Kind = kind, Format = fileName.EndsWith(".swu", StringComparison.Ordinal) ? PackageFormat.Swu : PackageFormat.Raw,
            FileName = fileName, Sha256 = sha256,
#pragma warning disable CA5350, CA5351 // DDI clients require SHA-1 and MD5 alongside SHA-256.
            Sha1 = Convert.ToHexStringLower(SHA1.HashData(content)), Md5 = Convert.ToHexStringLower(MD5.HashData(content)),
#pragma warning restore CA5350, CA5351
            Size = content.Length, ImportedBy = "test", ImportedAt = importedAt ?? DateTimeOffset.UnixEpoch,
        };
        var path = server.Services.GetRequiredService<BlobStore>().PathFor(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        db.Add(package);
        await db.SaveChangesAsync();
        return package;
    }
}
