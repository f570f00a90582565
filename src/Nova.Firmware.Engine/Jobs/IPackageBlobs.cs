using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>The engine's view of the package store: is the file still there and still the bytes we verified?</summary>
public interface IPackageBlobs
{
    Task<bool> IsIntactAsync(FirmwarePackage package, CancellationToken cancellationToken);
}
