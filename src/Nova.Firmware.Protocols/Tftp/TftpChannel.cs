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
    private readonly TftpUdpPeer _peer;
    private readonly TimeProvider _time;
    // The largest UDP payload fits, so an oversized DATA is seen (and refused) rather than truncated.
    private readonly byte[] _buffer = new byte[65536];
    private CancellationTokenSource _timeout;

    public TftpChannel(IPEndPoint localEndPoint, TimeProvider time)
    {
        _time = time;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        try
        {
            _peer = new TftpUdpPeer(localEndPoint);
        }
        catch
        {
            _timeout.Dispose();
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_peer.Socket.LocalEndPoint!;

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken)
    {
        return _peer.Socket.SendToAsync(datagram, SocketFlags.None, _peer.Target(remote), cancellationToken);
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
                length = await _peer.Socket.ReceiveFromAsync(_buffer, SocketFlags.None, _peer.Received, _timeout.Token).ConfigureAwait(false);
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
        return (_buffer.AsMemory(0, length), _peer.Source());
    }

    public long DeadlineAfter(TimeSpan timeout) =>
        _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);

    public void Dispose()
    {
        _peer.Dispose();
        _timeout.Dispose();
    }
}
