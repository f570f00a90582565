using Nova.Firmware.Protocols.Tests.Infrastructure;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

/// <summary>Our server against the clients users have: curl and atftp.</summary>
public sealed class TftpServerPeerTests
{
    /// <summary>Past 65535 blocks of 512 bytes, so block numbers roll over (about 33.6 MB).</summary>
    public const long RolloverSize = (65536L + 10) * 512 + 100;

    public static TheoryData<long> SmallSizes => new() { 0, 511, 512, 513, 1428 * 3 };

    [Theory]
    [MemberData(nameof(SmallSizes))]
    [InlineData(RolloverSize)]
    public async Task Curl_Blksize1428_ReceivesIdenticalFile(long size)
    {
        await CurlDownloadAsync(size, "--tftp-blksize", "1428");
    }

    [Theory]
    [MemberData(nameof(SmallSizes))]
    [InlineData(RolloverSize)]
    public async Task Curl_DefaultBlocks_ReceivesIdenticalFile(long size)
    {
        await CurlDownloadAsync(size);
    }

    public static TheoryData<long, string[]> AtftpCases()
    {
        string[][] variants =
        [
            [],
            ["--option", "blksize 1428"],
            ["--option", "windowsize 8"],
            ["--option", "blksize 1428", "--option", "windowsize 8", "--option", "tsize 0"],
            ["--option", "tsize 0"],
        ];
        var data = new TheoryData<long, string[]>();
        foreach (var variant in variants)
        {
            foreach (var size in new long[] { 0, 511, 512, 513, 1428 * 3 })
            {
                data.Add(size, variant);
            }
        }

        data.Add(RolloverSize, []);
        data.Add(RolloverSize, ["--option", "windowsize 8"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(AtftpCases))]
    public async Task Atftp_WithOptions_ReceivesIdenticalFile(long size, string[] options)
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("stock.img", size, seed: (int)(size % 1000));
        await using var server = TestServer.Start(dir.Path);
        var output = dir.File("out.img");

        var result = await PeerProcess.RunAsync("atftp", ["-g", "-r", "stock.img", "-l", output, .. options, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(hash, TempDirectory.Sha256Of(output));
        var completed = Assert.IsType<TftpTransferCompleted>(await server.Observer.FirstEnd);
        Assert.Equal(size, completed.Bytes);
    }

    [Fact]
    public async Task Curl_MissingFile_GetsErrorCodeFileNotFound()
    {
        using var dir = new TempDirectory();
        await using var server = TestServer.Start(dir.Path);

        var result = await PeerProcess.RunAsync("curl", "-sS", $"tftp://127.0.0.1:{server.Port}/missing.img", "-o", dir.File("out"));

        // curl maps TFTP ERROR 1 to exit code 68 (CURLE_TFTP_NOTFOUND).
        Assert.True(result.ExitCode == 68, result.ToString());
        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.FileNotFound, failed.Failure);
    }

    [Fact]
    public async Task Atftp_PathEscape_GetsAccessViolation()
    {
        using var dir = new TempDirectory();
        await using var server = TestServer.Start(dir.Path);

        var result = await PeerProcess.RunAsync("atftp", "-g", "-r", "../../etc/passwd", "-l", dir.File("out"), "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("climbs out", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.AccessViolation, failed.Failure);
    }

    [Fact]
    public async Task Curl_AbsolutePathOutsideRoot_GetsAccessViolation()
    {
        using var dir = new TempDirectory();
        await using var server = TestServer.Start(dir.Path);

        var result = await PeerProcess.RunAsync("curl", "-sS", $"tftp://127.0.0.1:{server.Port}//etc/passwd", "-o", dir.File("out"));

        // curl maps TFTP ERROR 2 to exit code 69 (CURLE_TFTP_PERM).
        Assert.True(result.ExitCode == 69, result.ToString());
    }

    private static async Task CurlDownloadAsync(long size, params string[] options)
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("stock.img", size, seed: (int)(size % 1000));
        await using var server = TestServer.Start(dir.Path);
        var output = dir.File("out.img");

        var result = await PeerProcess.RunAsync("curl", ["-sS", $"tftp://127.0.0.1:{server.Port}/stock.img", .. options, "-o", output]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(hash, TempDirectory.Sha256Of(output));
        var completed = Assert.IsType<TftpTransferCompleted>(await server.Observer.FirstEnd);
        Assert.Equal(size, completed.Bytes);
    }
}
