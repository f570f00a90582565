using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// What both ends of a transfer need from their UDP socket, whether they use it blocking
/// (<see cref="TftpTransferSocket"/>) or asynchronously (<see cref="TftpChannel"/>): the socket,
/// bound with buffers large enough for windows of large blocks, and the peer's address kept in
/// serialized form between packets, so the per-block path converts nothing while the peer stays
/// the same.
/// </summary>
internal sealed class TftpUdpPeer : IDisposable
{
    private const int SocketBufferBytes = 4 * 1024 * 1024;

    private IPEndPoint? _lastSource;
    private SocketAddress? _lastSourceAddress;
    private IPEndPoint? _lastTarget;
    private SocketAddress? _lastTargetAddress;

    public TftpUdpPeer(IPEndPoint localEndPoint)
    {
        Received = new SocketAddress(localEndPoint.AddressFamily);
        Socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Windows of large blocks come and go in bursts; the default buffers would drop them.
            Socket.ReceiveBufferSize = SocketBufferBytes;
            Socket.SendBufferSize = SocketBufferBytes;
            Socket.Bind(localEndPoint);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
    }

    public Socket Socket { get; }

    /// <summary>Filled by each receive with the sender's address; read back with <see cref="Source"/>.</summary>
    public SocketAddress Received { get; }

    /// <summary>The serialized form of <paramref name="remote"/>, reused while the target stays the same.</summary>
    public SocketAddress Target(IPEndPoint remote)
    {
        if (!remote.Equals(_lastTarget))
        {
            _lastTarget = remote;
            _lastTargetAddress = remote.Serialize();
        }

        return _lastTargetAddress!;
    }

    /// <summary>The last sender as an end point, reusing the previous one when the peer did not change.</summary>
    public IPEndPoint Source()
    {
        if (_lastSource is null || !Received.Equals(_lastSourceAddress))
        {
            _lastSourceAddress = new SocketAddress(Received.Family, Received.Size);
            Received.Buffer.CopyTo(_lastSourceAddress.Buffer);
            _lastSource = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(_lastSourceAddress);
        }

        return _lastSource;
    }

    public void Dispose() => Socket.Dispose();
}
