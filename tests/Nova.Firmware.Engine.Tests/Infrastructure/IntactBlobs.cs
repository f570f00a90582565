using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Engine.Jobs;

namespace Nova.Firmware.Engine.Tests.Infrastructure;

/// <summary>The package store as the engine sees it: every blob intact unless a test says otherwise; content is the package's size in zeros.</summary>
internal sealed class FakePackageBlobs : IPackageBlobs
{
    public bool Intact { get; set; } = true;

    public Task<bool> IsIntactAsync(FirmwarePackage package, CancellationToken cancellationToken) => Task.FromResult(Intact);

    public Task<Stream> OpenReadAsync(FirmwarePackage package, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream(new byte[Math.Min(package.Size, 1 << 20)]));
}
