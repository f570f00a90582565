using System.Net;
using Microsoft.Extensions.Logging;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// One read transfer on its own ephemeral socket, run start to end on its own thread with blocking
/// calls (see <see cref="TftpTransferSocket"/> for why). Sends a window of blocks, then waits for
/// an ACK that moves forward; only a timeout resends (duplicate ACKs are ignored, which is what
/// prevents the Sorcerer's Apprentice bug). Block numbers count in 64 bits and go on the wire
/// modulo 65536, so files past 65535 blocks roll over to block 0 as curl, atftp and U-Boot expect.
/// </summary>
internal sealed class TftpReadTransfer
{
    private readonly long _id;
    private readonly TftpRequestPacket _request;
    private readonly IPEndPoint _remote;
    private readonly TftpServerOptions _options;
    private readonly ITftpFileProvider _files;
    private readonly ITftpTransferObserver? _observer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _acked;

    public TftpReadTransfer(
        long id, TftpRequestPacket request, IPEndPoint remote, TftpServerOptions options, ITftpFileProvider files,
        ITftpTransferObserver? observer, ILogger logger, TimeProvider time)
    {
        _id = id;
        _request = request;
        _remote = remote;
        _options = options;
        _files = files;
        _observer = observer;
        _logger = logger;
        _time = time;
    }

    public string FileName => _request.FileName;

    /// <summary>Runs the whole transfer on the calling thread; every outcome is logged and reported.</summary>
    public void Run(CancellationToken stopping)
    {
        TftpTransferSocket socket;
        try
        {
            socket = new TftpTransferSocket(new IPEndPoint(_options.GetEndPoint().Address, 0), _time);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException)
        {
            Fail(TftpTransferFailure.ReadError, $"No socket for the transfer: {e.Message}");
            return;
        }

        using (socket)
        {
            Stream? content = null;
            try
            {
                content = Open(socket, stopping);
                if (content is not null)
                {
                    SendFile(socket, content, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                TrySendError(socket, TftpErrorCode.NotDefined, "Server is shutting down.");
                Fail(TftpTransferFailure.ServerStopped, "The server stopped during the transfer.");
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
            {
                TrySendError(socket, TftpErrorCode.NotDefined, "Server could not read the file.");
                Fail(TftpTransferFailure.ReadError, e.Message);
            }
            catch (Exception e)
            {
                // A fault of the file provider or the observer ends this transfer only: on its own
                // thread, an exception let through would end the whole process.
                TftpLog.TransferCrashed(_logger, _id, _request.FileName, _remote, e);
                TrySendError(socket, TftpErrorCode.NotDefined, "Server error.");
                Fail(TftpTransferFailure.ReadError, $"Unexpected error: {e.Message}");
            }
            finally
            {
                content?.Dispose();
            }
        }
    }

    /// <summary>Opens the file and negotiates; null when the request was refused (already reported).</summary>
    private Stream? Open(TftpTransferSocket socket, CancellationToken stopping)
    {
        if (!_request.Mode.Equals("octet", StringComparison.Ordinal))
        {
            return Refuse(socket, TftpErrorCode.IllegalOperation, TftpTransferFailure.IllegalOperation,
                $"Mode '{_request.Mode}' is not supported; use octet.");
        }

        // Waiting here blocks only this transfer's own thread (never a thread-pool thread), and the
        // lookup (a catalog query, a first-time hash check) is not worth a second hand-over.
        var pending = _files.OpenAsync(_request.FileName, _remote, stopping);
        var lookup = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        switch (lookup.Status)
        {
            case TftpFileLookupStatus.Found:
                break;
            case TftpFileLookupStatus.NotFound:
                return Refuse(socket, TftpErrorCode.FileNotFound, TftpTransferFailure.FileNotFound, lookup.Message);
            case TftpFileLookupStatus.AccessViolation:
                return Refuse(socket, TftpErrorCode.AccessViolation, TftpTransferFailure.AccessViolation, lookup.Message);
            default:
                throw new InvalidOperationException($"Unknown lookup status {lookup.Status}.");
        }

        var content = lookup.Content ?? throw new InvalidOperationException("A found file must come with a stream.");
        return content;
    }

    private Stream? Refuse(TftpTransferSocket socket, TftpErrorCode code, TftpTransferFailure failure, string reason)
    {
        TrySendError(socket, code, reason);
        Fail(failure, reason);
        return null;
    }

    private void SendFile(TftpTransferSocket socket, Stream content, CancellationToken stopping)
    {
        var length = content.CanSeek ? content.Length : (long?)null;
        var negotiation = _options.NegotiateOptions && _request.Options.Count > 0
            ? TftpOptionNegotiation.Negotiate(_request.Options, length, _options.MaxBlockSize, _options.MaxWindowSize, _options.Timeout)
            : new TftpNegotiationResult(TftpTransferParameters.Plain(_options.Timeout), [], null);
        if (negotiation.RefusedReason is { } refused)
        {
            Refuse(socket, TftpErrorCode.OptionNegotiationRefused, TftpTransferFailure.OptionsRefused, refused);
            return;
        }

        var parameters = negotiation.Parameters;
        var startedAt = _time.GetTimestamp();
        TftpLog.TransferStarted(_logger, _id, _request.FileName, _remote, parameters.BlockSize, parameters.WindowSize, parameters.TransferSize);
        _observer?.OnStarted(new TftpTransferStarted(_id, _remote, _request.FileName, parameters, _time.GetUtcNow()));

        if (negotiation.Acknowledged.Count > 0
            && !SendOptionAck(socket, negotiation.Acknowledged, parameters.Timeout, stopping))
        {
            return;
        }

        if (SendBlocks(socket, content, parameters, stopping) is { } sent)
        {
            var duration = _time.GetElapsedTime(startedAt);
            TftpLog.TransferCompleted(_logger, _id, _request.FileName, _remote, sent, duration.TotalMilliseconds);
            _observer?.OnCompleted(new TftpTransferCompleted(_id, _remote, _request.FileName, sent, duration, _time.GetUtcNow()));
        }
    }

    /// <summary>Sends the OACK until the client's ACK 0 arrives; false when the transfer ended instead.</summary>
    private bool SendOptionAck(TftpTransferSocket socket, IReadOnlyList<TftpOption> acknowledged, TimeSpan timeout, CancellationToken stopping)
    {
        var oack = TftpPacketCodec.ToArray(new TftpOptionAckPacket(acknowledged));
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > _options.MaxRetries)
            {
                TrySendError(socket, TftpErrorCode.NotDefined, "Timed out waiting for the ACK of the OACK.");
                Fail(TftpTransferFailure.TimedOut, $"No ACK for the OACK after {_options.MaxRetries} retransmissions.");
                return false;
            }

            if (attempt > 0)
            {
                TftpLog.Retransmitting(_logger, _id, 0, attempt);
            }

            socket.Send(oack, _remote);
            var deadline = socket.DeadlineAfter(timeout);
            while (ReceiveFromClient(socket, deadline, stopping) is { } datagram)
            {
                if (TftpPacketCodec.TryReadAck(datagram.Span, out var block))
                {
                    if (block == 0)
                    {
                        return true;
                    }

                    continue;
                }

                EndOnUnexpected(socket, datagram);
                return false;
            }
        }
    }

    /// <summary>Sends every block; returns the byte count, or null when the transfer failed (already reported).</summary>
    private long? SendBlocks(TftpTransferSocket socket, Stream content, TftpTransferParameters parameters, CancellationToken stopping)
    {
        var window = parameters.WindowSize;
        var blockSize = parameters.BlockSize;
        // Everything the loop needs is allocated here, once: a slot per block of the window (kept
        // for resends) and the read-ahead; the per-block path allocates nothing.
        var reader = new TftpBlockReader(content, blockSize);
        var slots = new byte[window][];
        var slotLengths = new int[window];
        for (var i = 0; i < window; i++)
        {
            slots[i] = new byte[TftpPacketCodec.HeaderLength + blockSize];
        }

        long lastBlock = -1;
        long lastRead = 0;
        long bytes = 0;
        var attempt = 0;
        _acked = 0;
        while (true)
        {
            var end = _acked + window;
            while (lastBlock < 0 && lastRead < end)
            {
                lastRead++;
                var slot = slots[lastRead % window];
                var read = reader.Read(slot.AsSpan(TftpPacketCodec.HeaderLength, blockSize));
                TftpPacketCodec.WriteDataHeader(slot, (ushort)lastRead);
                slotLengths[lastRead % window] = TftpPacketCodec.HeaderLength + read;
                bytes += read;
                if (read < blockSize)
                {
                    lastBlock = lastRead;
                }
            }

            if (lastBlock >= 0)
            {
                end = Math.Min(end, lastBlock);
            }

            for (var block = _acked + 1; block <= end; block++)
            {
                var index = (int)(block % window);
                socket.Send(slots[index].AsSpan(0, slotLengths[index]), _remote);
            }

            switch (AwaitAdvance(socket, end, parameters.Timeout, stopping))
            {
                case Advance.Moved:
                    attempt = 0;
                    if (_acked == lastBlock)
                    {
                        return bytes;
                    }

                    break;
                case Advance.TimedOut:
                    attempt++;
                    if (attempt > _options.MaxRetries)
                    {
                        TrySendError(socket, TftpErrorCode.NotDefined, "Timed out waiting for an ACK.");
                        Fail(TftpTransferFailure.TimedOut, $"No ACK after block {_acked} despite {_options.MaxRetries} retransmissions.");
                        return null;
                    }

                    TftpLog.Retransmitting(_logger, _id, _acked + 1, attempt);
                    break;
                case Advance.Ended:
                    return null;
                default:
                    throw new InvalidOperationException("Unknown advance outcome.");
            }
        }
    }

    private enum Advance
    {
        Moved,
        TimedOut,
        Ended,
    }

    /// <summary>Waits for an ACK inside (acked, sentUpTo]; earlier ACKs are duplicates and change nothing.</summary>
    private Advance AwaitAdvance(TftpTransferSocket socket, long sentUpTo, TimeSpan timeout, CancellationToken stopping)
    {
        var deadline = socket.DeadlineAfter(timeout);
        while (ReceiveFromClient(socket, deadline, stopping) is { } datagram)
        {
            if (!TftpPacketCodec.TryReadAck(datagram.Span, out var acked))
            {
                EndOnUnexpected(socket, datagram);
                return Advance.Ended;
            }

            // The newest block ≤ sentUpTo whose low 16 bits match: unambiguous since a window < 65536.
            var block = sentUpTo - ((sentUpTo - acked) & 0xFFFF);
            if (block > _acked)
            {
                _acked = block;
                return Advance.Moved;
            }
        }

        return Advance.TimedOut;
    }

    /// <summary>
    /// Next datagram from the client until <paramref name="deadline"/>; null on timeout. Datagrams
    /// from other ports get ERROR 5 and do not disturb the transfer (RFC 1350 §4). The datagram
    /// aliases the socket's buffer: an ACK is read in place, anything else ends the transfer.
    /// </summary>
    private ReadOnlyMemory<byte>? ReceiveFromClient(TftpTransferSocket socket, long deadline, CancellationToken stopping)
    {
        while (socket.Receive(deadline, stopping) is var (datagram, from))
        {
            if (!from.Equals(_remote))
            {
                TftpLog.UnknownTransferId(_logger, _id, from);
                socket.Send(new TftpErrorPacket(TftpErrorCode.UnknownTransferId, "Unknown transfer ID."), from);
                continue;
            }

            return datagram;
        }

        return null;
    }

    /// <summary>Ends the transfer on a datagram that is not an ACK: the client's ERROR, a malformed or an unexpected packet.</summary>
    private void EndOnUnexpected(TftpTransferSocket socket, ReadOnlyMemory<byte> datagram)
    {
        TftpPacket packet;
        try
        {
            packet = TftpPacketCodec.Parse(datagram);
        }
        catch (TftpPacketFormatException e)
        {
            TrySendError(socket, TftpErrorCode.IllegalOperation, e.Message);
            Fail(TftpTransferFailure.IllegalOperation, $"Malformed packet from the client: {e.Message}");
            return;
        }

        if (packet is TftpErrorPacket error)
        {
            Fail(TftpTransferFailure.ClientError, $"Client sent ERROR {(int)error.Code}: {error.Message}");
            return;
        }

        TrySendError(socket, TftpErrorCode.IllegalOperation, $"Expected an ACK, got {packet.Opcode}.");
        Fail(TftpTransferFailure.IllegalOperation, $"Client sent {packet.Opcode} where an ACK was expected.");
    }

    private void TrySendError(TftpTransferSocket socket, TftpErrorCode code, string message)
    {
        try
        {
            // Best effort: the client should learn why, even during shutdown.
            socket.Send(new TftpErrorPacket(code, TftpPacketCodec.ToWireText(message)), _remote);
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
    }

    private void Fail(TftpTransferFailure failure, string reason)
    {
        TftpLog.TransferFailed(_logger, _id, _request.FileName, _remote, failure, reason);
        _observer?.OnFailed(new TftpTransferFailed(_id, _remote, _request.FileName, failure, reason, _acked, _time.GetUtcNow()));
    }
}
