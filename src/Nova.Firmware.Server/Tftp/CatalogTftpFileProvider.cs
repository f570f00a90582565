using System.Net;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Protocols.Tftp;
using Nova.Firmware.Server.Packages;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// Serves the catalog's stock images over TFTP from the content-addressed blob store, streamed in
/// place (never read whole into memory). A blob that is missing or no longer hashes to its
/// package's SHA-256 is not served: a device would flash it and fail to boot.
/// </summary>
public sealed class CatalogTftpFileProvider(
    IServiceScopeFactory scopes, BlobStore blobs, IPackageBlobs integrity, TftpTransferAttributions attributions,
    ILogger<CatalogTftpFileProvider> logger) : ITftpFileProvider
{
    public async ValueTask<TftpFileLookup> OpenAsync(string fileName, IPEndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        StockImageResolution resolution;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            resolution = await scope.ServiceProvider.GetRequiredService<StockImageResolver>()
                .ResolveAsync(fileName, remoteEndPoint.Address, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TftpRescueLog.LookupFailed(logger, fileName, remoteEndPoint, e);
            // The transfer answers an IOException with ERROR 0 and reports a read error.
            throw new IOException($"The catalog lookup of '{fileName}' failed.", e);
        }

        var package = resolution.Package;
        attributions.Set(remoteEndPoint, new TftpTransferAttribution(resolution.Device, package?.Id, package?.Version, package?.FileName));
        if (resolution.Status == TftpFileLookupStatus.NotFound)
        {
            return TftpFileLookup.NotFound(resolution.Message);
        }
        if (resolution.Status == TftpFileLookupStatus.AccessViolation)
        {
            return TftpFileLookup.AccessViolation(resolution.Message);
        }
        if (package is null)
        {
            throw new InvalidOperationException("A found stock image must come with its package.");
        }

        var damaged = $"The stored stock image {package.FileName} {package.Version} is missing or damaged; import it again.";
        try
        {
            if (!await integrity.IsIntactAsync(package, cancellationToken))
            {
                TftpRescueLog.DamagedBlob(logger, package.Id, package.Sha256);
                return TftpFileLookup.NotFound(damaged);
            }
            var stream = new FileStream(blobs.PathFor(package.Sha256), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.SequentialScan,
                // Unbuffered: the transfer reads ahead in large chunks itself.
                BufferSize = 0,
            });
            return TftpFileLookup.Found(stream, package.Size);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted between the check and the open (the package was removed meanwhile).
            TftpRescueLog.DamagedBlob(logger, package.Id, package.Sha256);
            return TftpFileLookup.NotFound(damaged);
        }
    }
}
