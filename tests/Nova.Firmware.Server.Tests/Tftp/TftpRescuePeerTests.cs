using System.Globalization;
using System.Security.Cryptography;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Protocols.Tests.Infrastructure;
using Nova.Firmware.Server.Tests.Builders;

namespace Nova.Firmware.Server.Tests.Tftp;

/// <summary>The product's TFTP server against the clients technicians have: Debian's curl and atftp.</summary>
public sealed class TftpRescuePeerTests : IDisposable
{
    /// <summary>Past a megabyte and not a multiple of 512 or 1428, so the last block is short.</summary>
    private const int ImageSize = 3 * 1024 * 1024 + 77;

    private readonly string _output = Path.Combine(Path.GetTempPath(), $"nova-tftp-out-{Guid.NewGuid():N}.img");

    public void Dispose() => File.Delete(_output);

    public static TheoryData<string, string[]> Clients() => new()
    {
        { "curl", [] },
        { "curl", ["--tftp-blksize", "1428"] },
        { "atftp", ["--option", "blksize 1428", "--option", "windowsize 8"] },
    };

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task StockImageByFileName_RealClient_ReceivesIdenticalBytes(string client, string[] options)
    {
        await using var server = await TftpRescueHost.StartAsync();
        var image = TftpRescueHost.Image(ImageSize, seed: 11);
        await server.AddPackageAsync(image, version: "1.0.5", fileName: "gw-100-stock.img", kind: PackageKind.Stock);
        var port = server.TftpEndPoint().Port.ToString(CultureInfo.InvariantCulture);

        string[] arguments = client == "curl"
            ? ["-sS", $"tftp://127.0.0.1:{port}/gw-100-stock.img", .. options, "-o", _output]
            : ["-g", "-r", "gw-100-stock.img", "-l", _output, .. options, "127.0.0.1", port];
        var result = await PeerProcess.RunAsync(client, arguments);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(SHA256.HashData(image), SHA256.HashData(await File.ReadAllBytesAsync(_output)));
    }

    [Fact]
    public async Task CatalogPath_Curl_ReceivesThatRevisionsImage()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var rev1 = TftpRescueHost.Image(5000, seed: 1);
        var rev2 = TftpRescueHost.Image(6000, seed: 2);
        await server.AddPackageAsync(rev1, version: "1.0.5", revision: "1.0", fileName: "stock.img", kind: PackageKind.Stock);
        await server.AddPackageAsync(rev2, version: "1.0.5", revision: "2.0", fileName: "stock.img", kind: PackageKind.Stock);
        var port = server.TftpEndPoint().Port;

        var result = await PeerProcess.RunAsync("curl", "-sS", $"tftp://127.0.0.1:{port}/Acme/GW-100/2.0/stock.img", "--tftp-blksize", "1428", "-o", _output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(rev2, await File.ReadAllBytesAsync(_output));
    }

    [Fact]
    public async Task ClimbingName_Curl_GetsAccessViolation()
    {
        await using var server = await TftpRescueHost.StartAsync();
        var port = server.TftpEndPoint().Port;

        var result = await PeerProcess.RunAsync("curl", "-sS", $"tftp://127.0.0.1:{port}/..%2f..%2fetc%2fpasswd", "-o", _output);

        // curl maps TFTP ERROR 2 to exit code 69 (CURLE_TFTP_PERM).
        Assert.True(result.ExitCode == 69, result.ToString());
    }
}
