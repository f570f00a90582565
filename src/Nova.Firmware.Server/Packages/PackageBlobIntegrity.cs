using System.Collections.Concurrent;
using System.Security.Cryptography;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Engine.Jobs;

namespace Nova.Firmware.Server.Packages;

/// <summary>
/// The pre-flight checksum check's view of the store: the blob exists, has the package's size, and
/// (once per process per blob, since re-hashing gigabytes per device would be waste) hashes to the
/// package's SHA-256. Also opens a blob for a driver that pushes it to a device.
/// </summary>
public sealed class PackageBlobIntegrity(BlobStore blobs) : IPackageBlobs
{
    private readonly ConcurrentDictionary<string, bool> _verified = new();

    public async Task<bool> IsIntactAsync(FirmwarePackage package, CancellationToken cancellationToken)
    {
        var path = blobs.PathFor(package.Sha256);
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

    public Task<Stream> OpenReadAsync(FirmwarePackage package, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(blobs.PathFor(package.Sha256), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan));
}
