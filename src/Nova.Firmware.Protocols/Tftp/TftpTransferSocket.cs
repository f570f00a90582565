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

    private readonly TftpUdpPeer _peer;
    private readonly TimeProvider _time;
    // The largest UDP payload fits, so an oversized datagram is seen (and refused) rather than truncated.
    private readonly byte[] _buffer = new byte[65536];
    // SO_RCVTIMEO as last set, so it is only changed when a wait needs a different slice.
    private int _receiveTimeoutMs;

    public TftpTransferSocket(IPEndPoint localEndPoint, TimeProvider time)
    {
        _time = time;
        _peer = new TftpUdpPeer(localEndPoint);
    }

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        _peer.Socket.SendTo(datagram, SocketFlags.None, _peer.Target(remote));
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
                _peer.Socket.ReceiveTimeout = wait;
                _receiveTimeoutMs = wait;
            }

            int length;
            try
            {
                length = _peer.Socket.ReceiveFrom(_buffer, SocketFlags.None, _peer.Received);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue; // the slice ended: look at the clock and the stop signal again
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP feedback about an earlier send (some systems report it here), not a datagram
            }

            return (_buffer.AsMemory(0, length), _peer.Source());
        }
    }

    public long DeadlineAfter(TimeSpan timeout) =>
        _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);

    public void Dispose() => _peer.Dispose();
}
