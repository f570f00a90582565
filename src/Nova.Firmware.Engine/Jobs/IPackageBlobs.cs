using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>The engine's view of the package store: is the file still there and still the bytes we verified, and its content for a push.</summary>
public interface IPackageBlobs
{
    Task<bool> IsIntactAsync(FirmwarePackage package, CancellationToken cancellationToken);

    /// <summary>The stored bytes of the package, for a driver that pushes them to a device.</summary>
    Task<Stream> OpenReadAsync(FirmwarePackage package, CancellationToken cancellationToken);
}
