using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Protocols.Tests.Infrastructure;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

/// <summary>Server behaviour seen from a hand-driven UDP socket: the cases real clients rarely provoke.</summary>
public sealed class TftpServerProtocolTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WriteRequest_IsAnsweredWithAccessViolation()
    {
        using var dir = new TempDirectory();
        await using var server = TestServer.Start(dir.Path);
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(true, "upload.img", "octet", []));
        var (answer, _) = await ReceiveAsync(client);

        Assert.Equal(TftpErrorCode.AccessViolation, Assert.IsType<TftpErrorPacket>(answer).Code);
        Assert.False(File.Exists(dir.File("upload.img")));
    }

    [Fact]
    public async Task MalformedRequest_IsAnsweredWithIllegalOperation()
    {
        using var dir = new TempDirectory();
        await using var server = TestServer.Start(dir.Path);
        using var client = Loopback();

        await client.SendAsync(new byte[] { 0, 1, (byte)'f' }, server.EndPoint);
        var (answer, _) = await ReceiveAsync(client);

        var error = Assert.IsType<TftpErrorPacket>(answer);
        Assert.Equal(TftpErrorCode.IllegalOperation, error.Code);
        Assert.Contains("not terminated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRequest_InvalidBlksize_IsRefusedWithErrorEight()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 100);
        await using var server = TestServer.Start(dir.Path);
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", [new("blksize", "7")]));
        var (answer, _) = await ReceiveAsync(client);

        Assert.Equal(TftpErrorCode.OptionNegotiationRefused, Assert.IsType<TftpErrorPacket>(answer).Code);
    }

    [Fact]
    public async Task ReadRequest_NetasciiMode_IsRefused()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 100);
        await using var server = TestServer.Start(dir.Path);
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "netascii", []));
        var (answer, _) = await ReceiveAsync(client);

        Assert.Equal(TftpErrorCode.IllegalOperation, Assert.IsType<TftpErrorPacket>(answer).Code);
    }

    [Fact]
    public async Task Transfer_AnswersFromItsOwnPortAndRejectsStrangers()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        await using var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(30));
        using var client = Loopback();
        using var stranger = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (first, tid) = await ReceiveAsync(client);
        await SendAsync(stranger, tid, new TftpAckPacket(1));
        var (toStranger, _) = await ReceiveAsync(stranger);
        await SendAsync(client, tid, new TftpAckPacket(1));
        var (second, _) = await ReceiveAsync(client);

        Assert.NotEqual(server.Port, tid.Port);
        Assert.Equal(1, Assert.IsType<TftpDataPacket>(first).Block);
        Assert.Equal(TftpErrorCode.UnknownTransferId, Assert.IsType<TftpErrorPacket>(toStranger).Code);
        Assert.Equal(2, Assert.IsType<TftpDataPacket>(second).Block);
    }

    [Fact]
    public async Task DuplicateAck_DoesNotResendTheNextBlock()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 512 * 3 + 1);
        // A long retransmission timeout: any repeated block here could only come from the duplicate ACK.
        await using var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(60));
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var (_, tid) = await ReceiveAsync(client);
        await SendAsync(client, tid, new TftpAckPacket(1));
        await SendAsync(client, tid, new TftpAckPacket(1));
        var (afterFirstAck, _) = await ReceiveAsync(client);
        await SendAsync(client, tid, new TftpAckPacket(2));
        var (afterSecondAck, _) = await ReceiveAsync(client);

        // With the Sorcerer's Apprentice bug the second packet would be block 2 again.
        Assert.Equal(2, Assert.IsType<TftpDataPacket>(afterFirstAck).Block);
        Assert.Equal(3, Assert.IsType<TftpDataPacket>(afterSecondAck).Block);
    }

    [Fact]
    public async Task WindowedTransfer_AckInsideTheWindow_ResendsFromTheNextBlock()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 512 * 10);
        await using var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(60));
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", [new("windowsize", "4")]));
        var (oack, tid) = await ReceiveAsync(client);
        await SendAsync(client, tid, new TftpAckPacket(0));
        var firstWindow = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            firstWindow.Add(Assert.IsType<TftpDataPacket>((await ReceiveAsync(client)).Packet).Block);
        }

        // As if block 3 was lost: the client acknowledges 2, so the server continues with 3..6.
        await SendAsync(client, tid, new TftpAckPacket(2));
        var secondWindow = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            secondWindow.Add(Assert.IsType<TftpDataPacket>((await ReceiveAsync(client)).Packet).Block);
        }

        Assert.Equal([new TftpOption("windowsize", "4")], Assert.IsType<TftpOptionAckPacket>(oack).Options);
        Assert.Equal([1, 2, 3, 4], firstWindow);
        Assert.Equal([3, 4, 5, 6], secondWindow);
    }

    [Fact]
    public async Task SilentClient_IsRetransmittedToUntilTheRetryLimitThenFails()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        var clock = new FakeTimeProvider();
        await using var server = TestServer.Start(dir.Path, o => { o.Timeout = TimeSpan.FromSeconds(5); o.MaxRetries = 3; }, clock);
        using var client = Loopback();

        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        var packets = new List<TftpPacket> { (await ReceiveAsync(client)).Packet };
        var end = server.Observer.FirstEnd;
        while (!end.IsCompleted)
        {
            // Only the fake clock moves the server's timeouts; keep nudging it until the transfer gives up.
            clock.Advance(TimeSpan.FromSeconds(5));
            using var poll = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            try
            {
                var received = await client.ReceiveAsync(poll.Token);
                packets.Add(TftpPacketCodec.Parse(received.Buffer));
            }
            catch (OperationCanceledException)
            {
            }
        }

        var failed = Assert.IsType<TftpTransferFailed>(await end);
        Assert.Equal(TftpTransferFailure.TimedOut, failed.Failure);
        Assert.Equal(4, packets.Count(p => p is TftpDataPacket { Block: 1 }));
        Assert.DoesNotContain(packets, p => p is TftpDataPacket { Block: > 1 });
    }

    [Fact]
    public async Task Dispose_DuringTransfer_ReportsServerStopped()
    {
        using var dir = new TempDirectory();
        dir.CreateFile("a.img", 2000);
        var server = TestServer.Start(dir.Path, o => o.Timeout = TimeSpan.FromSeconds(60));
        using var client = Loopback();
        await SendAsync(client, server.EndPoint, new TftpRequestPacket(false, "a.img", "octet", []));
        await ReceiveAsync(client);

        await server.DisposeAsync();

        var failed = Assert.IsType<TftpTransferFailed>(await server.Observer.FirstEnd);
        Assert.Equal(TftpTransferFailure.ServerStopped, failed.Failure);
        Assert.Equal(0, server.Server.ActiveTransfers);
    }

    [Fact]
    public async Task Start_PortZero_ExposesTheBoundPort()
    {
        using var dir = new TempDirectory();
        await using var server = TestServer.Start(dir.Path);

        Assert.NotEqual(0, server.Port);
        Assert.Equal(IPAddress.Loopback, server.EndPoint.Address);
    }

    [Fact]
    public void Options_NonIpv4Address_AreRejected()
    {
        var options = new TftpServerOptions { Address = "::1" };

        Assert.Throws<ArgumentException>(options.Validate);
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
}
