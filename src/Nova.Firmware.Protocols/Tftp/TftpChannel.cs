using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// One UDP socket with at most one receive in flight. A receive that outlives a timeout stays
/// pending and serves the next wait, so timeouts never cancel socket operations (and never lose a
/// datagram). Timeouts run on the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class TftpChannel : IDisposable
{
    private const int SocketBufferBytes = 4 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    // The largest UDP payload fits, so an oversized DATA is seen (and refused) rather than truncated.
    private readonly byte[] _buffer = new byte[65536];
    private Task<SocketReceiveFromResult>? _pending;

    public TftpChannel(IPEndPoint localEndPoint, TimeProvider time)
    {
        _time = time;
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
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken) =>
        _socket.SendToAsync(datagram, SocketFlags.None, remote, cancellationToken);

    public ValueTask<int> SendAsync(TftpPacket packet, IPEndPoint remote, CancellationToken cancellationToken) =>
        SendAsync(TftpPacketCodec.ToArray(packet), remote, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="deadline"/> (a <see cref="TimeProvider.GetTimestamp"/> value) for
    /// one datagram. Returns null on timeout. The datagram aliases an internal buffer that stays
    /// valid until the next call.
    /// </summary>
    public async Task<(ReadOnlyMemory<byte> Datagram, IPEndPoint Remote)?> ReceiveAsync(long deadline, CancellationToken cancellationToken)
    {
        _pending ??= _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), CancellationToken.None).AsTask();
        if (!_pending.IsCompleted)
        {
            var left = TimeSpan.FromTicks(Math.Max(0, deadline - _time.GetTimestamp()) * TimeSpan.TicksPerSecond / _time.TimestampFrequency);
            try
            {
                await _pending.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        var result = await _pending.ConfigureAwait(false);
        _pending = null;
        return (_buffer.AsMemory(0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
    }

    public long DeadlineAfter(TimeSpan timeout) =>
        _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);

    public void Dispose()
    {
        _socket.Dispose();
        // A receive still in flight fails with the disposed socket; observe it so it is not reported as unobserved.
        _pending?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
