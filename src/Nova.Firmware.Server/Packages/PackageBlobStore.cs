using System.Collections.Concurrent;
using System.Security.Cryptography;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Server.Hosting;

namespace Nova.Firmware.Server.Packages;

// TEMPORARY minimal store until the catalog lands: content-addressed blobs under <data>/blobs/sha256/<aa>/<hash>.
public sealed class PackageBlobStore(DataDirectory data) : IPackageBlobs
{
    private readonly ConcurrentDictionary<string, bool> _verified = new();

    public string PathFor(string sha256) => Path.Combine(data.Path, "blobs", "sha256", sha256[..2], sha256);

    public async Task<bool> IsIntactAsync(FirmwarePackage package, CancellationToken cancellationToken)
    {
        var path = PathFor(package.Sha256);
        if (!File.Exists(path) || new FileInfo(path).Length != package.Size)
        {
            return false;
        }
        if (_verified.ContainsKey(package.Sha256))
        {
            return true;
        }
        await using var stream = File.OpenRead(path);
        var ok = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)) == package.Sha256;
        if (ok)
        {
            _verified[package.Sha256] = true;
        }
        return ok;
    }
}
