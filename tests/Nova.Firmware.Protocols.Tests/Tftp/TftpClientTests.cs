using Nova.Firmware.Protocols.Tests.Infrastructure;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

/// <summary>Our client against Debian's atftpd, and against our own server where a fault is staged.</summary>
public sealed class TftpClientTests
{
    public static TheoryData<long, string> AtftpdCases()
    {
        var data = new TheoryData<long, string>();
        foreach (var variant in new[] { "plain", "blksize", "windowsize", "all" })
        {
            foreach (var size in new long[] { 0, 511, 512, 513, 1428 * 3, 3_000_000 })
            {
                data.Add(size, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AtftpdCases))]
    public async Task DownloadAsync_FromAtftpd_WritesIdenticalFile(long size, string variant)
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("stock.img", size, seed: (int)(size % 997));
        await using var atftpd = await AtftpdProcess.StartAsync(dir.Path);
        var options = Variant(variant);
        var output = new MemoryStream();

        var result = await new TftpClient().DownloadAsync(atftpd.EndPoint, "stock.img", output, options);

        Assert.Equal(size, result.Bytes);
        Assert.Equal(hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.ToArray())));
        Assert.Equal(options.HasOptions, result.OptionsAcknowledged);
        Assert.Equal(options.BlockSize ?? 512, result.Parameters.BlockSize);
        Assert.Equal(options.WindowSize ?? 1, result.Parameters.WindowSize);
    }

    [Fact]
    public async Task DownloadAsync_AtftpdWithOptionsDisabled_FallsBackToPlainRfc1350()
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("stock.img", 100_000);
        await using var atftpd = await AtftpdProcess.StartAsync(dir.Path, "--no-blksize", "--no-tsize", "--no-timeout", "--no-windowsize");
        var output = new MemoryStream();

        var result = await new TftpClient().DownloadAsync(atftpd.EndPoint, "stock.img", output, Variant("all"));

        Assert.False(result.OptionsAcknowledged);
        Assert.Equal(512, result.Parameters.BlockSize);
        Assert.Equal(hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.ToArray())));
    }

    [Fact]
    public async Task DownloadAsync_MissingFileOnAtftpd_ThrowsWithFileNotFound()
    {
        using var dir = new TempDirectory();
        await using var atftpd = await AtftpdProcess.StartAsync(dir.Path);

        var error = await Assert.ThrowsAsync<TftpException>(() => new TftpClient().DownloadAsync(atftpd.EndPoint, "missing.img", new MemoryStream()));

        Assert.Equal(TftpErrorCode.FileNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task DownloadAsync_ServerIgnoringOptions_FallsBackToPlainRfc1350()
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("stock.img", 5000);
        await using var server = TestServer.Start(dir.Path, o => o.NegotiateOptions = false);
        var output = new MemoryStream();

        var result = await new TftpClient().DownloadAsync(server.EndPoint, "stock.img", output, Variant("all"));

        Assert.False(result.OptionsAcknowledged);
        Assert.Equal(hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.ToArray())));
    }

    [Fact]
    public async Task DownloadAsync_ServerRefusingOptions_AsksAgainWithoutOptions()
    {
        // A scripted peer: ERROR 8 to the request with options, ERROR 1 to the plain one.
        using var peer = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var requests = new List<TftpRequestPacket>();
        var script = Task.Run(async () =>
        {
            foreach (var answer in new[] { TftpErrorCode.OptionNegotiationRefused, TftpErrorCode.FileNotFound })
            {
                var received = await peer.ReceiveAsync();
                requests.Add(Assert.IsType<TftpRequestPacket>(TftpPacketCodec.Parse(received.Buffer)));
                await peer.SendAsync(TftpPacketCodec.ToArray(new TftpErrorPacket(answer, "no")), received.RemoteEndPoint);
            }
        });

        var error = await Assert.ThrowsAsync<TftpException>(() =>
            // A long timeout: a retransmitted request would take the scripted peer's second answer.
            new TftpClient().DownloadAsync((System.Net.IPEndPoint)peer.Client.LocalEndPoint!, "stock.img", new MemoryStream(),
                new TftpClientOptions { BlockSize = 1428, WindowSize = 8, RequestTransferSize = true, TimeoutOption = 2, Timeout = TimeSpan.FromSeconds(10) }));
        await script;

        Assert.Equal(TftpErrorCode.FileNotFound, error.ErrorCode);
        Assert.Equal(4, requests[0].Options.Count);
        Assert.Empty(requests[1].Options);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("windowsize")]
    [InlineData("all")]
    public async Task DownloadAsync_ThroughRelayDroppingEverySeventhPacket_WritesIdenticalFile(string variant)
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("stock.img", 400_000);
        // Short timeouts keep the dropped packets cheap; many retries keep a busy machine from failing it.
        await using var server = TestServer.Start(dir.Path, o => { o.Timeout = TimeSpan.FromMilliseconds(200); o.MaxRetries = 50; });
        await using var relay = new LossyRelay(server.EndPoint, dropEvery: 7);
        var output = new MemoryStream();
        var options = Variant(variant);
        var lossy = new TftpClientOptions
        {
            BlockSize = options.BlockSize, WindowSize = options.WindowSize, RequestTransferSize = options.RequestTransferSize,
            Timeout = TimeSpan.FromMilliseconds(200), MaxRetries = 50,
        };

        var result = await new TftpClient().DownloadAsync(relay.EndPoint, "stock.img", output, lossy);

        Assert.True(relay.Dropped > 0);
        Assert.Equal(400_000, result.Bytes);
        Assert.Equal(hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.ToArray())));
    }

    [Fact]
    public async Task DownloadAsync_LargeFileInBlocksOf512_RollsOverBlockNumbers()
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("stock.img", TftpServerPeerTests.RolloverSize);
        await using var server = TestServer.Start(dir.Path);
        var path = dir.File("out.img");

        await using (var output = File.Create(path))
        {
            await new TftpClient().DownloadAsync(server.EndPoint, "stock.img", output, new TftpClientOptions { WindowSize = 16 });
        }

        Assert.Equal(hash, TempDirectory.Sha256Of(path));
    }

    [Fact]
    public async Task DownloadAsync_WithTsize_ReportsProgressUpToTheTotal()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("stock.img", 600_000);
        await using var server = TestServer.Start(dir.Path);
        var reports = new List<TftpProgress>();

        await new TftpClient().DownloadAsync(server.EndPoint, "stock.img", new MemoryStream(),
            new TftpClientOptions { RequestTransferSize = true }, new SynchronousProgress(reports.Add));

        Assert.True(reports.Count > 1);
        Assert.All(reports, r => Assert.Equal(600_000, r.TotalBytes));
        Assert.Equal(600_000, reports[^1].BytesReceived);
        Assert.Equal(reports.Select(r => r.BytesReceived).Order(), reports.Select(r => r.BytesReceived));
    }

    [Fact]
    public async Task DownloadAsync_ConcurrentClients_EachGetTheirFile()
    {
        using var dir = new TempDirectory();
        var hashes = Enumerable.Range(0, 6).Select(i => dir.CreateFile($"dev{i}.img", 200_000 + i * 1000, seed: i)).ToArray();
        await using var server = TestServer.Start(dir.Path);

        var downloads = Enumerable.Range(0, 6).Select(async i =>
        {
            var output = new MemoryStream();
            await new TftpClient().DownloadAsync(server.EndPoint, $"dev{i}.img", output, new TftpClientOptions { BlockSize = 1428, WindowSize = i % 2 == 0 ? 4 : null });
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.ToArray()));
        });

        Assert.Equal(hashes, await Task.WhenAll(downloads));
    }

    [Fact]
    public async Task DownloadAsync_NoServerListening_ThrowsAfterRetries()
    {
        var port = FreePort.Udp();
        var options = new TftpClientOptions { Timeout = TimeSpan.FromMilliseconds(50), MaxRetries = 2 };

        var error = await Assert.ThrowsAsync<TftpException>(() =>
            new TftpClient().DownloadAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), "x.img", new MemoryStream(), options));

        Assert.Null(error.ErrorCode);
        Assert.Contains("No answer", error.Message, StringComparison.Ordinal);
    }

    private static TftpClientOptions Variant(string variant) => variant switch
    {
        "plain" => new TftpClientOptions(),
        "blksize" => new TftpClientOptions { BlockSize = 1428 },
        "windowsize" => new TftpClientOptions { WindowSize = 8 },
        "all" => new TftpClientOptions { BlockSize = 1428, WindowSize = 8, RequestTransferSize = true, TimeoutOption = 2 },
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private sealed class SynchronousProgress(Action<TftpProgress> report) : IProgress<TftpProgress>
    {
        public void Report(TftpProgress value) => report(value);
    }
}
