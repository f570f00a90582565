using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Protocols.Tests.Infrastructure;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

/// <summary>
/// The server's transfer loop (one thread per transfer, blocking socket calls) seen from a
/// hand-driven client: lost ACKs, timeouts, the concurrency cap, faults and shutdown.
/// </summary>
public sealed class TftpTransferLoopTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LostAck_TheBlockIsSentAgainAndTheTransferCompletes()
    {
        using var dir = new TempDirectory();
        var hash = dir.CreateFile("a.img", 512 * 2 + 10);
        var clock = new FakeTimeProvider();
        await using var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(5), clock);
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (first, tid) = await ReceiveAsync(client);
        // The client's ACK "got lost": nothing is sent until the server's timeout passes.
        var again = await ReceiveAfterAdvancingAsync(client, clock, TimeSpan.FromSeconds(5));
        var received = new MemoryStream();
        received.Write(Assert.IsType<TftpDataPacket>(again).Data.Span);
        for (ushort block = 1; ; block++)
        {
            await SendAsync(client, tid, new TftpAckPacket(block));
            if (received.Length == 512 * 2 + 10)
            {
                break;
            }

            // Skips a second resend of an acknowledged block, had the clock been moved twice.
            TftpDataPacket data;
            do
            {
                data = Assert.IsType<TftpDataPacket>((await ReceiveAsync(client)).Packet);
            }
            while (data.Block <= block);

            Assert.Equal(block + 1, data.Block);
            received.Write(data.Data.Span);
        }

        Assert.Equal(1, Assert.IsType<TftpDataPacket>(first).Block);
        Assert.Equal(1, Assert.IsType<TftpDataPacket>(again).Block);
        var completed = Assert.IsType<TftpTransferCompleted>(await server.Observer.FirstEnd);
        Assert.Equal(512 * 2 + 10, completed.Bytes);
        Assert.Equal(hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(received.ToArray())));
    }

    [Fact]
    public async Task LostAckOfAWindow_TheWholeWindowIsSentAgain()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 512 * 10);
        var clock = new FakeTimeProvider();
        await using var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(5), clock);
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", [new("windowsize", "3")]));
        var (_, tid) = await ReceiveAsync(client);
        await SendAsync(client, tid, new TftpAckPacket(0));
        var window = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            window.Add(Assert.IsType<TftpDataPacket>((await ReceiveAsync(client)).Packet).Block);
        }

        var resent = new List<int> { Assert.IsType<TftpDataPacket>(await ReceiveAfterAdvancingAsync(client, clock, TimeSpan.FromSeconds(5))).Block };
        for (var i = 0; i < 2; i++)
        {
            resent.Add(Assert.IsType<TftpDataPacket>((await ReceiveAsync(client)).Packet).Block);
        }

        Assert.Equal([1, 2, 3], window);
        Assert.Equal([1, 2, 3], resent);
    }

    [Fact]
    public async Task SilentClient_TimesOutWithAnErrorPacket()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        // The real clock with a short timeout: the transfer thread's own waits end the transfer.
        await using var server = TestServer.Start(dir.Path, o => { o.Timeout = TimeSpan.FromMilliseconds(50); o.MaxRetries = 2; });
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var packets = new List<TftpPacket>();
        do
        {
            packets.Add((await ReceiveAsync(client)).Packet);
        }
        while (packets[^1] is not TftpErrorPacket);

        Assert.Equal(3, packets.Count(p => p is TftpDataPacket { Block: 1 }));
        Assert.Contains("Timed out", Assert.IsType<TftpErrorPacket>(packets[^1]).Message, StringComparison.Ordinal);
        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.TimedOut, failed.Failure);
        await WaitUntilAsync(() => server.Server.ActiveTransfers == 0);
    }

    [Fact]
    public async Task SilentClientAfterOptionAck_TimesOutWithAnErrorPacket()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        await using var server = TestServer.Start(dir.Path, o => { o.Timeout = TimeSpan.FromMilliseconds(50); o.MaxRetries = 1; });
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", [new("blksize", "1428")]));
        var packets = new List<TftpPacket>();
        do
        {
            packets.Add((await ReceiveAsync(client)).Packet);
        }
        while (packets[^1] is not TftpErrorPacket);

        Assert.Equal(2, packets.Count(p => p is TftpOptionAckPacket));
        Assert.DoesNotContain(packets, p => p is TftpDataPacket);
        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.TimedOut, failed.Failure);
    }

    [Fact]
    public async Task MalformedAck_EndsTheTransferWithIllegalOperation()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        await using var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(60));
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (_, tid) = await ReceiveAsync(client);
        await client.SendAsync(new byte[] { 0, 4, 0 }, tid);
        var (answer, _) = await ReceiveAsync(client);

        Assert.Equal(TftpErrorCode.IllegalOperation, Assert.IsType<TftpErrorPacket>(answer).Code);
        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.IllegalOperation, failed.Failure);
    }

    [Fact]
    public async Task ClientError_EndsTheTransferQuietly()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        await using var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(60));
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (_, tid) = await ReceiveAsync(client);
        await SendAsync(client, tid, new TftpErrorPacket(TftpErrorCode.DiskFull, "disk full"));

        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.ClientError, failed.Failure);
        Assert.Contains("disk full", failed.Reason, StringComparison.Ordinal);
        await WaitUntilAsync(() => server.Server.ActiveTransfers == 0);
    }

    [Fact]
    public async Task ConcurrencyCap_RefusesTheNextRequestWithAnErrorPacketUntilATransferEnds()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        await using var server = TestServer.Start(dir.Path, o => { o.Timeout = TimeSpan.FromSeconds(60); o.MaxConcurrentTransfers = 2; });
        using var first = Loopback();
        using var second = Loopback();
        using var third = Loopback();

        await SendAsync(first, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (_, firstTid) = await ReceiveAsync(first);
        await SendAsync(second, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        await ReceiveAsync(second);
        await SendAsync(third, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (refusal, refusedFrom) = await ReceiveAsync(third);
        var activeWhenRefused = server.Server.ActiveTransfers;
        // One transfer ends (the client gives up): a place is free again.
        await SendAsync(first, firstTid, new TftpErrorPacket(TftpErrorCode.NotDefined, "cancelled"));
        await WaitUntilAsync(() => server.Server.ActiveTransfers == 1);
        await SendAsync(third, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (accepted, _) = await ReceiveAsync(third);

        var error = Assert.IsType<TftpErrorPacket>(refusal);
        Assert.Equal(TftpErrorCode.NotDefined, error.Code);
        Assert.Contains("busy", error.Message, StringComparison.Ordinal);
        Assert.Equal(server.Port, refusedFrom.Port);
        Assert.Equal(2, activeWhenRefused);
        Assert.Equal(1, Assert.IsType<TftpDataPacket>(accepted).Block);
    }

    [Fact]
    public async Task Dispose_EndsEveryRunningTransferPromptly()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(60));
        var clients = Enumerable.Range(0, 3).Select(_ => Loopback()).ToList();
        try
        {
            foreach (var client in clients)
            {
                await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
                await ReceiveAsync(client);
            }

            var activeBefore = server.Server.ActiveTransfers;
            // Far below the 60 s retransmission timeout: the threads must notice the stop, not time out.
            await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(3, activeBefore);
            Assert.Equal(0, server.Server.ActiveTransfers);
            Assert.Equal(3, server.Observer.Failed.Count(f => f.Failure == TftpTransferFailure.ServerStopped));
            foreach (var client in clients)
            {
                var error = Assert.IsType<TftpErrorPacket>((await ReceiveAsync(client)).Packet);
                Assert.Contains("shutting down", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Dispose_WhileTheFileLookupWaits_EndsTheTransfer()
    {
        using var dir = new TempDirectory();
        var files = new NeverAnsweringFiles();
        var server = TestServer.Start(dir.Path, files: files);
        using var client = Loopback();
        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        await files.Asked.Task.WaitAsync(Guard);

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.ServerStopped, failed.Failure);
        Assert.Equal(0, server.Server.ActiveTransfers);
    }

    [Fact]
    public async Task FaultyFileProvider_EndsThatTransferOnlyAndTheServerServesOn()
    {
        using var dir = new TempDirectory();
        var files = new FaultyOnceFiles(new DirectoryTftpFileProvider(dir.Path));
        dir.CreateFile("a.img", 100);
        await using var server = TestServer.Start(dir.Path, files: files);
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (fault, _) = await ReceiveAsync(client);
        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        await WaitUntilAsync(() => server.Server.ActiveTransfers == 0);
        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (data, tid) = await ReceiveAsync(client);
        await SendAsync(client, tid, new TftpAckPacket(1));

        Assert.Equal(TftpErrorCode.NotDefined, Assert.IsType<TftpErrorPacket>(fault).Code);
        Assert.Equal(TftpTransferFailure.ReadError, failed.Failure);
        Assert.Equal(100, Assert.IsType<TftpDataPacket>(data).Data.Length);
        await WaitUntilAsync(() => !server.Observer.Completed.IsEmpty);
    }

    [Fact]
    public void Options_ConcurrencyCapBelowOne_IsRejected()
    {
        var options = new TftpServerOptions { MaxConcurrentTransfers = 0 };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    /// <summary>A lookup that never answers until cancelled, like a catalog query stuck on a busy database.</summary>
    private sealed class NeverAnsweringFiles : ITftpFileProvider
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<TftpFileLookup> OpenAsync(string fileName, IPEndPoint remoteEndPoint, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("Unreachable.");
        }
    }

    /// <summary>Throws an unexpected exception on the first lookup, then serves from the inner provider.</summary>
    private sealed class FaultyOnceFiles(ITftpFileProvider inner) : ITftpFileProvider
    {
        private int _calls;

        public ValueTask<TftpFileLookup> OpenAsync(string fileName, IPEndPoint remoteEndPoint, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("A provider bug.")
                : inner.OpenAsync(fileName, remoteEndPoint, cancellationToken);
    }

    private static UdpClient Loopback() => new(new IPEndPoint(IPAddress.Loopback, 0));

    private static async Task SendAsync(UdpClient client, IPEndPoint to, TftpPacket packet) =>
        await client.SendAsync(TftpPacketCodec.ToArray(packet), to);

    private static async Task<(TftpPacket Packet, IPEndPoint From)> ReceiveAsync(UdpClient client)
    {
        using var guard = new CancellationTokenSource(Guard);
        var received = await client.ReceiveAsync(guard.Token);
        return (TftpPacketCodec.Parse(received.Buffer), received.RemoteEndPoint);
    }

    /// <summary>Moves the fake clock by <paramref name="step"/> until the server sends something.</summary>
    private static async Task<TftpPacket> ReceiveAfterAdvancingAsync(UdpClient client, FakeTimeProvider clock, TimeSpan step)
    {
        var receive = ReceiveAsync(client);
        using var guard = new CancellationTokenSource(Guard);
        while (!receive.IsCompleted)
        {
            clock.Advance(step);
            await Task.WhenAny(receive, Task.Delay(200, guard.Token));
        }

        return (await receive).Packet;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!condition())
        {
            await Task.Delay(10, guard.Token);
        }
    }
}
