using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// Read-only TFTP server (RFC 1350 with RFC 2347/2348/2349/7440 options). The well-known socket
/// only takes requests; every transfer runs on its own ephemeral socket (its TID) and its own
/// dedicated thread, concurrently, up to <see cref="TftpServerOptions.MaxConcurrentTransfers"/>;
/// a request past that is answered with ERROR 0, so a flood cannot create unbounded threads.
/// Write requests are answered with ERROR 2.
/// </summary>
public sealed class TftpServer : IAsyncDisposable
{
    private readonly TftpServerOptions _options;
    private readonly ITftpFileProvider _files;
    private readonly ITftpTransferObserver? _observer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<IPEndPoint, Task> _transfers = new();
    private Socket? _listener;
    private Task? _listening;
    private long _lastTransferId;

    public TftpServer(
        TftpServerOptions options, ITftpFileProvider files, ILogger<TftpServer> logger,
        TimeProvider? time = null, ITftpTransferObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _files = files;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _observer = observer;
    }

    /// <summary>The bound end point; with port 0 configured this holds the port the system chose.</summary>
    private IPEndPoint? _localEndPoint;
    private int _disposed;

    public IPEndPoint LocalEndPoint => _localEndPoint
        ?? throw new InvalidOperationException("The TFTP server has not been started.");

    /// <summary>Transfers running right now.</summary>
    public int ActiveTransfers => _transfers.Count;

    /// <summary>Binds the listening socket (so the port is known on return) and starts serving.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The TFTP server is already started.");
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(_options.GetEndPoint());
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _listener = socket;
        // Kept: the socket's own property throws once it is disposed, and a stopped server is still asked where it was.
        _localEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        TftpLog.ServerStarted(_logger, LocalEndPoint);
        _listening = Task.Run(() => ListenAsync(socket, _stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        // Once only, whoever calls first (a host may stop a service from two paths at once).
        if (_listener is null || Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var endPoint = LocalEndPoint;
        await _stopping.CancelAsync();
        _listener.Dispose();
        if (_listening is not null)
        {
            await _listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(_transfers.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        TftpLog.ServerStopped(_logger, endPoint);
    }

    private async Task ListenAsync(Socket socket, CancellationToken stopping)
    {
        var buffer = new byte[65536];
        var any = new IPEndPoint(IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // A single bad datagram (e.g. ICMP feedback on some systems) must not stop the server.
                TftpLog.ListenerError(_logger, LocalEndPoint, e);
                continue;
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            await HandleRequestAsync(socket, buffer.AsMemory(0, received.ReceivedBytes), remote, stopping).ConfigureAwait(false);
        }
    }

    private async Task HandleRequestAsync(Socket socket, ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken stopping)
    {
        TftpPacket packet;
        try
        {
            packet = TftpPacketCodec.Parse(datagram);
        }
        catch (TftpPacketFormatException e)
        {
            await RefuseAsync(socket, remote, TftpErrorCode.IllegalOperation, e.Message, stopping).ConfigureAwait(false);
            return;
        }

        switch (packet)
        {
            case TftpRequestPacket { IsWrite: true } write:
                await RefuseAsync(socket, remote, TftpErrorCode.AccessViolation,
                    $"This server is read-only; cannot write '{write.FileName}'.", stopping).ConfigureAwait(false);
                return;
            case TftpRequestPacket read:
                await StartTransferAsync(socket, read, remote, stopping).ConfigureAwait(false);
                return;
            default:
                // DATA/ACK/ERROR/OACK belong to a transfer's own port, never to the request port.
                await RefuseAsync(socket, remote, TftpErrorCode.IllegalOperation,
                    $"Expected a read request on this port, got {packet.Opcode}.", stopping).ConfigureAwait(false);
                return;
        }
    }

    private async Task StartTransferAsync(Socket socket, TftpRequestPacket request, IPEndPoint remote, CancellationToken stopping)
    {
        // A client that repeats its RRQ (its first answer was slow or lost) must not get two transfers.
        if (_transfers.ContainsKey(remote))
        {
            TftpLog.DuplicateRequestIgnored(_logger, remote, request.FileName);
            return;
        }

        // Only this loop adds transfers, so the count cannot pass the cap between check and add.
        if (_transfers.Count >= _options.MaxConcurrentTransfers)
        {
            TftpLog.TransferLimitReached(_logger, remote, request.FileName, _options.MaxConcurrentTransfers);
            await RefuseAsync(socket, remote, TftpErrorCode.NotDefined,
                $"Server busy: {_options.MaxConcurrentTransfers} transfers are running; try again later.", stopping).ConfigureAwait(false);
            return;
        }

        var id = Interlocked.Increment(ref _lastTransferId);
        var transfer = new TftpReadTransfer(id, request, remote, _options, _files, _observer, _logger, _time);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A dedicated thread, not the thread pool: the transfer blocks in its socket between blocks
        // and is woken by the kernel when the ACK arrives (see TftpTransferSocket).
        var thread = new Thread(() => RunTransfer(transfer, id, remote, ended, stopping))
        {
            IsBackground = true,
            Name = "TFTP transfer",
        };
        _transfers[remote] = ended.Task;
        try
        {
            thread.Start();
        }
        catch (OutOfMemoryException e)
        {
            // No thread to be had (memory or thread limits): refuse rather than crash the listener.
            _transfers.TryRemove(remote, out _);
            ended.SetResult();
            TftpLog.TransferCrashed(_logger, id, request.FileName, remote, e);
            await RefuseAsync(socket, remote, TftpErrorCode.NotDefined, "Server busy; try again later.", stopping).ConfigureAwait(false);
        }
    }

    /// <summary>The body of a transfer's thread: nothing may escape it, an unhandled exception would end the process.</summary>
    private void RunTransfer(TftpReadTransfer transfer, long id, IPEndPoint remote, TaskCompletionSource ended, CancellationToken stopping)
    {
        try
        {
            transfer.Run(stopping);
        }
        catch (Exception e)
        {
            TftpLog.TransferCrashed(_logger, id, transfer.FileName, remote, e);
        }
        finally
        {
            _transfers.TryRemove(remote, out _);
            ended.SetResult();
        }
    }

    private async Task RefuseAsync(Socket socket, IPEndPoint remote, TftpErrorCode code, string message, CancellationToken stopping)
    {
        TftpLog.RequestRefused(_logger, remote, message);
        try
        {
            await socket.SendToAsync(TftpPacketCodec.ToArray(new TftpErrorPacket(code, TftpPacketCodec.ToWireText(message))), SocketFlags.None, remote, stopping).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            TftpLog.ListenerError(_logger, LocalEndPoint, e);
        }
    }
}
