using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// One UDP socket for one side of a transfer. Receives wait until a deadline measured on the
/// injected <see cref="TimeProvider"/>: one re-armed timer per channel and serialized addresses
/// kept between packets, so the per-block path allocates next to nothing. Cancelling a pending
/// receive on timeout does not lose a datagram: one that already arrived completes the receive.
/// </summary>
internal sealed class TftpChannel : IDisposable
{
    private const int SocketBufferBytes = 4 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    // The largest UDP payload fits, so an oversized DATA is seen (and refused) rather than truncated.
    private readonly byte[] _buffer = new byte[65536];
    private readonly SocketAddress _received;
    private CancellationTokenSource _timeout;
    private IPEndPoint? _lastSource;
    private SocketAddress? _lastSourceAddress;
    private IPEndPoint? _lastTarget;
    private SocketAddress? _lastTargetAddress;

    public TftpChannel(IPEndPoint localEndPoint, TimeProvider time)
    {
        _time = time;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _received = new SocketAddress(localEndPoint.AddressFamily);
        _socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Windows of large blocks arrive in bursts; the default buffers drop them.
            _socket.ReceiveBufferSize = SocketBufferBytes;
            _socket.SendBufferSize = SocketBufferBytes;
            _socket.Bind(localEndPoint);
        }
        catch
        {
            _socket.Dispose();
            _timeout.Dispose();
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (!remote.Equals(_lastTarget))
        {
            _lastTarget = remote;
            _lastTargetAddress = remote.Serialize();
        }

        return _socket.SendToAsync(datagram, SocketFlags.None, _lastTargetAddress!, cancellationToken);
    }

    public ValueTask<int> SendAsync(TftpPacket packet, IPEndPoint remote, CancellationToken cancellationToken) =>
        SendAsync(TftpPacketCodec.ToArray(packet), remote, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="deadline"/> (from <see cref="DeadlineAfter"/>) for one datagram;
    /// null on timeout. The datagram aliases an internal buffer that stays valid until the next call.
    /// </summary>
    public async ValueTask<(ReadOnlyMemory<byte> Datagram, IPEndPoint Remote)?> ReceiveAsync(long deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
        if (left <= TimeSpan.Zero)
        {
            return null;
        }

        _timeout.CancelAfter(left);
        int length;
        using (cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timeout))
        {
            try
            {
                length = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, _received, _timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A fired token cannot be re-armed; the next wait gets a fresh one.
                _timeout.Dispose();
                _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
                return null;
            }
        }

        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        return (_buffer.AsMemory(0, length), Source());
    }

    public long DeadlineAfter(TimeSpan timeout) =>
        _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);

    public void Dispose()
    {
        _socket.Dispose();
        _timeout.Dispose();
    }

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
