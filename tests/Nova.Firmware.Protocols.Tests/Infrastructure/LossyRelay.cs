using System.Net;
using System.Net.Sockets;

namespace Nova.Firmware.Protocols.Tests.Infrastructure;

/// <summary>
/// A UDP relay on loopback between one client and a TFTP server that drops every Nth datagram in
/// either direction. The client talks to <see cref="EndPoint"/>; the relay follows the server's
/// transfer port (TID) once the server answers.
/// </summary>
public sealed class LossyRelay : IAsyncDisposable
{
    private readonly Socket _clientSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _serverSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _dropEvery;
    private readonly Task _toServer;
    private readonly Task _toClient;
    private IPEndPoint _serverTarget;
    private IPEndPoint? _client;
    private int _count;
    private int _dropped;

    public LossyRelay(IPEndPoint server, int dropEvery)
    {
        _dropEvery = dropEvery;
        _serverTarget = server;
        _clientSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _serverSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _toServer = Task.Run(() => PumpAsync(_clientSide, fromClient: true));
        _toClient = Task.Run(() => PumpAsync(_serverSide, fromClient: false));
    }

    public IPEndPoint EndPoint => (IPEndPoint)_clientSide.LocalEndPoint!;

    public int Dropped => Volatile.Read(ref _dropped);

    private async Task PumpAsync(Socket from, bool fromClient)
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await from.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var sender = (IPEndPoint)received.RemoteEndPoint;
            if (fromClient)
            {
                _client = sender;
            }
            else
            {
                _serverTarget = sender;
            }

            if (Interlocked.Increment(ref _count) % _dropEvery == 0)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            var payload = buffer.AsMemory(0, received.ReceivedBytes);
            if (fromClient)
            {
                await _serverSide.SendToAsync(payload, SocketFlags.None, _serverTarget);
            }
            else if (_client is { } client)
            {
                await _clientSide.SendToAsync(payload, SocketFlags.None, client);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _clientSide.Dispose();
        _serverSide.Dispose();
        await Task.WhenAll(_toServer, _toClient).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
