using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// The UDP socket of one server-side transfer (its TID), used only with blocking calls from the
/// transfer's own thread. A lock-step transfer is bound by the round trip per block: with a
/// blocking receive the kernel wakes this thread directly when the ACK arrives, with no hop
/// through the socket engine's event thread and the thread pool. No asynchronous call may ever
/// be made on it: the first one would switch the socket to non-blocking mode for good, and the
/// runtime would then emulate every blocking call through that same event thread.
/// </summary>
/// <remarks>
/// A wait is cut into slices of at most <see cref="WaitSlice"/>, so the thread sees a shutdown
/// promptly, and deadlines are measured on the injected <see cref="TimeProvider"/> (a fake clock
/// in tests). While ACKs keep coming the receive timeout stays at one slice, so the per-block path
/// is one <c>sendmsg</c> and one <c>recvmsg</c>, with serialized addresses kept between packets.
/// </remarks>
internal sealed class TftpTransferSocket : IDisposable
{
    /// <summary>Longest a blocked receive goes without looking at the clock and the stop signal.</summary>
    public static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(100);

    private const int SocketBufferBytes = 4 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    // The largest UDP payload fits, so an oversized datagram is seen (and refused) rather than truncated.
    private readonly byte[] _buffer = new byte[65536];
    private readonly SocketAddress _received;
    // SO_RCVTIMEO as last set, so it is only changed when a wait needs a different slice.
    private int _receiveTimeoutMs;
    private IPEndPoint? _lastSource;
    private SocketAddress? _lastSourceAddress;
    private IPEndPoint? _lastTarget;
    private SocketAddress? _lastTargetAddress;

    public TftpTransferSocket(IPEndPoint localEndPoint, TimeProvider time)
    {
        _time = time;
        _received = new SocketAddress(localEndPoint.AddressFamily);
        _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Windows of large blocks leave in bursts; the default buffers would drop them.
            _socket.ReceiveBufferSize = SocketBufferBytes;
            _socket.SendBufferSize = SocketBufferBytes;
            _socket.Bind(localEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        if (!remote.Equals(_lastTarget))
        {
            _lastTarget = remote;
            _lastTargetAddress = remote.Serialize();
        }

        _socket.SendTo(datagram, SocketFlags.None, _lastTargetAddress!);
    }

    public void Send(TftpPacket packet, IPEndPoint remote) => Send(TftpPacketCodec.ToArray(packet), remote);

    /// <summary>
    /// Waits until <paramref name="deadline"/> (from <see cref="DeadlineAfter"/>) for one datagram;
    /// null on timeout. Throws <see cref="OperationCanceledException"/> within one slice of
    /// <paramref name="stopping"/> being cancelled. The datagram aliases an internal buffer that
    /// stays valid until the next call.
    /// </summary>
    public (ReadOnlyMemory<byte> Datagram, IPEndPoint Remote)? Receive(long deadline, CancellationToken stopping)
    {
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            // At least 1 ms: a receive timeout of 0 would mean waiting forever.
            var wait = (int)Math.Max(1, Math.Ceiling(Math.Min(left.TotalMilliseconds, WaitSlice.TotalMilliseconds)));
            if (wait != _receiveTimeoutMs)
            {
                _socket.ReceiveTimeout = wait;
                _receiveTimeoutMs = wait;
            }

            int length;
            try
            {
                length = _socket.ReceiveFrom(_buffer, SocketFlags.None, _received);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue; // the slice ended: look at the clock and the stop signal again
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP feedback about an earlier send (some systems report it here), not a datagram
            }

            return (_buffer.AsMemory(0, length), Source());
        }
    }

    public long DeadlineAfter(TimeSpan timeout) =>
        _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);

    public void Dispose() => _socket.Dispose();

    /// <summary>The sender as an end point, reusing the previous one when the peer did not change.</summary>
    private IPEndPoint Source()
    {
        if (_lastSource is null || !_received.Equals(_lastSourceAddress))
        {
            _lastSourceAddress = new SocketAddress(_received.Family, _received.Size);
            _received.Buffer.CopyTo(_lastSourceAddress.Buffer);
            _lastSource = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(_lastSourceAddress);
        }

        return _lastSource;
    }
}
