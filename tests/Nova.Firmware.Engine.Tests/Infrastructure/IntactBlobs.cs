using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Engine.Jobs;

namespace Nova.Firmware.Engine.Tests.Infrastructure;

/// <summary>The package store as the engine sees it: every blob intact unless a test says otherwise.</summary>
internal sealed class FakePackageBlobs : IPackageBlobs
{
    public bool Intact { get; set; } = true;

    public Task<bool> IsIntactAsync(FirmwarePackage package, CancellationToken cancellationToken) => Task.FromResult(Intact);
}
