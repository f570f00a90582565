using System.Net;
using System.Security.Cryptography;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Protocols.Tests.Infrastructure;
using Nova.Firmware.Protocols.Tftp;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Tftp;

/// <summary>Which stock image a request gets, what is refused, and how it ends up on the timeline.</summary>
public sealed class TftpRescueServingTests
{
    private static readonly TftpClientOptions Uboot = new() { BlockSize = 1428, RequestTransferSize = true, Timeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task AddressName_ServesNewestStockImageOfTheDevicesExactModelAndRevision()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var device = FleetBuilder.Gateway("gw-rev1", revision: "1.0");
        device.Address = "http://10.20.30.40/onvif/device_service";
        await server.AddDeviceAsync(device);
        var wanted = TftpRescueHost.Image(70_000, seed: 3);
        await server.AddPackageAsync(TftpRescueHost.Image(70_000, seed: 1), version: "1.0.9", revision: "1.0", fileName: "a.img", kind: PackageKind.Stock);
        await server.AddPackageAsync(wanted, version: "1.0.10", revision: "1.0", fileName: "b.img", kind: PackageKind.Stock);
        await server.AddPackageAsync(TftpRescueHost.Image(70_000, seed: 4), version: "9.0.0", revision: "2.0", fileName: "c.img", kind: PackageKind.Stock);
        await server.AddPackageAsync(TftpRescueHost.Image(70_000, seed: 5), version: "9.0.0", revision: "1.0", fileName: "d.swu", kind: PackageKind.Update);
        await server.AddPackageAsync(TftpRescueHost.Image(70_000, seed: 6), version: "9.0.0", model: "GW-200", revision: "1.0", fileName: "e.img", kind: PackageKind.Stock);

        var received = await DownloadAsync(server, TftpFileNames.HexAddressName(IPAddress.Parse("10.20.30.40")));

        Assert.Equal(wanted, received);
    }

    [Fact]
    public async Task AddressName_RevisionWithoutStockImage_FileNotFoundNamingTheRevision_AndOnTheTimeline()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var device = FleetBuilder.Gateway("gw-rev3", revision: "3.0");
        device.Address = "10.20.30.41";
        await server.AddDeviceAsync(device);
        await server.AddPackageAsync(TftpRescueHost.Image(1000, seed: 1), version: "1.0.0", revision: "1.0", fileName: "stock.img", kind: PackageKind.Stock);

        var error = await Assert.ThrowsAsync<TftpException>(() => DownloadAsync(server, "0A141E29.img"));

        Assert.Equal(TftpErrorCode.FileNotFound, error.ErrorCode);
        Assert.Contains("No stock image for Acme GW-100 rev 3.0 (aarch64), device 'gw-rev3'", error.Message, StringComparison.Ordinal);
        var entries = await Eventually.GetAsync(() => server.TransferEntriesAsync(device.Id), e => e.Count == 1, what: "the failed transfer entry");
        Assert.Contains("failed (file-not-found)", entries[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../blobs/sha256/stock.img")]
    [InlineData("/etc/passwd")]
    [InlineData("/gw-100-stock.img")]
    [InlineData("update.swu")]
    public async Task ClimbingAbsoluteOrNonStockNames_AccessViolation(string name)
    {
        await using var server = await TftpRescueHost.StartAsync();
        await server.AddPackageAsync(TftpRescueHost.Image(1000, seed: 1), fileName: "gw-100-stock.img", kind: PackageKind.Stock);
        await server.AddPackageAsync(TftpRescueHost.Image(1000, seed: 2), fileName: "update.swu", kind: PackageKind.Update);

        var error = await Assert.ThrowsAsync<TftpException>(() => DownloadAsync(server, name));

        Assert.Equal(TftpErrorCode.AccessViolation, error.ErrorCode);
    }

    [Fact]
    public async Task UnknownName_FileNotFound()
    {
        await using var server = await TftpRescueHost.StartAsync();

        var error = await Assert.ThrowsAsync<TftpException>(() => DownloadAsync(server, "C0A80028.img"));

        Assert.Equal(TftpErrorCode.FileNotFound, error.ErrorCode);
        Assert.Contains("No device in the inventory has address 192.168.0.40", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileNameOfAnotherRevision_AskedByAnInventoryDevice_IsRefused()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var device = FleetBuilder.Gateway("gw-local", revision: "2.0");
        device.Address = "127.0.0.1";
        await server.AddDeviceAsync(device);
        await server.AddPackageAsync(TftpRescueHost.Image(1000, seed: 1), revision: "1.0", fileName: "gw-rev1-stock.img", kind: PackageKind.Stock);

        var error = await Assert.ThrowsAsync<TftpException>(() => DownloadAsync(server, "gw-rev1-stock.img"));

        Assert.Equal(TftpErrorCode.AccessViolation, error.ErrorCode);
        Assert.Contains("packages never cross hardware revisions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DamagedBlob_IsNotServed()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var package = await server.AddPackageAsync(TftpRescueHost.Image(4000, seed: 1), fileName: "stock.img", kind: PackageKind.Stock);
        var blob = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Nova.Firmware.Server.Packages.BlobStore>(server.Services).PathFor(package.Sha256);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[100] ^= 0xFF;
        await File.WriteAllBytesAsync(blob, bytes);

        var error = await Assert.ThrowsAsync<TftpException>(() => DownloadAsync(server, "stock.img"));

        Assert.Equal(TftpErrorCode.FileNotFound, error.ErrorCode);
        Assert.Contains("missing or damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevicesTransfer_StartedAndCompletedOnItsTimeline()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var device = FleetBuilder.Gateway("gw-timeline");
        device.Address = "10.20.30.42";
        await server.AddDeviceAsync(device);
        var package = await server.AddPackageAsync(TftpRescueHost.Image(50_000, seed: 7), version: "1.0.5", fileName: "gw-stock.img", kind: PackageKind.Stock);

        await DownloadAsync(server, "0A141E2A.img");

        var entries = await Eventually.GetAsync(() => server.TransferEntriesAsync(device.Id), e => e.Count == 2, what: "started and completed entries");
        Assert.Contains("sending '0A141E2A.img' (stock image gw-stock.img 1.0.5)", entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("50000 bytes in", entries[1].Message, StringComparison.Ordinal);
        using var completed = System.Text.Json.JsonDocument.Parse(entries[1].Data!);
        Assert.Equal("completed", completed.RootElement.GetProperty("event").GetString());
        Assert.Equal("address-name", completed.RootElement.GetProperty("foundBy").GetString());
        Assert.Equal(package.Id, completed.RootElement.GetProperty("packageId").GetGuid());
        Assert.Equal(50_000, completed.RootElement.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task ManyConcurrentTransfers_AllIdentical()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var image = TftpRescueHost.Image(400_000, seed: 8);
        await server.AddPackageAsync(image, fileName: "stock.img", kind: PackageKind.Stock);
        var windowed = new TftpClientOptions { BlockSize = 1428, WindowSize = 8, Timeout = TimeSpan.FromSeconds(2), MaxRetries = 20 };

        var downloads = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => DownloadAsync(server, "stock.img", i % 2 == 0 ? Uboot : windowed)));

        Assert.All(downloads, d => Assert.Equal(SHA256.HashData(image), SHA256.HashData(d)));
    }

    [Fact]
    public async Task ThroughRelayDroppingEverySeventhPacket_TransferCompletes()
    {
        // Short timeouts keep the dropped packets cheap; many retries keep a busy machine from failing it.
        await using var server = await TftpRescueHost.StartAsync(("Nova:Tftp:Timeout", "00:00:00.200"), ("Nova:Tftp:MaxRetries", "50"));
        var image = TftpRescueHost.Image(300_000, seed: 9);
        await server.AddPackageAsync(image, fileName: "stock.img", kind: PackageKind.Stock);
        await using var relay = new LossyRelay(server.TftpEndPoint(), dropEvery: 7);
        var lossy = new TftpClientOptions { BlockSize = 1428, WindowSize = 4, Timeout = TimeSpan.FromMilliseconds(200), MaxRetries = 50 };
        var output = new MemoryStream();

        await new TftpClient().DownloadAsync(relay.EndPoint, "stock.img", output, lossy);

        Assert.True(relay.Dropped > 0);
        Assert.Equal(image, output.ToArray());
    }

    private static async Task<byte[]> DownloadAsync(NovaServer server, string name, TftpClientOptions? options = null)
    {
        var output = new MemoryStream();
        await new TftpClient().DownloadAsync(server.TftpEndPoint(), name, output, options ?? Uboot);
        return output.ToArray();
    }
}
