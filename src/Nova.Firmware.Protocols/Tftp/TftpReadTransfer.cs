using System.Net;
using Microsoft.Extensions.Logging;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// One read transfer on its own ephemeral socket. Sends a window of blocks, then waits for an ACK
/// that moves forward; only a timeout resends (duplicate ACKs are ignored, which is what prevents
/// the Sorcerer's Apprentice bug). Block numbers count in 64 bits and go on the wire modulo
/// 65536, so files past 65535 blocks roll over to block 0 as curl, atftp and U-Boot expect.
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

    public async Task RunAsync(CancellationToken stopping)
    {
        TftpChannel channel;
        try
        {
            channel = new TftpChannel(new IPEndPoint(_options.GetEndPoint().Address, 0), _time);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException)
        {
            Fail(TftpTransferFailure.ReadError, $"No socket for the transfer: {e.Message}");
            return;
        }

        using (channel)
        {
            Stream? content = null;
            try
            {
                content = await OpenAsync(channel, stopping).ConfigureAwait(false);
                if (content is not null)
                {
                    await SendFileAsync(channel, content, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await TrySendErrorAsync(channel, TftpErrorCode.NotDefined, "Server is shutting down.").ConfigureAwait(false);
                Fail(TftpTransferFailure.ServerStopped, "The server stopped during the transfer.");
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
            {
                await TrySendErrorAsync(channel, TftpErrorCode.NotDefined, "Server could not read the file.").ConfigureAwait(false);
                Fail(TftpTransferFailure.ReadError, e.Message);
            }
            finally
            {
                if (content is not null)
                {
                    await content.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Opens the file and negotiates; null when the request was refused (already reported).</summary>
    private async Task<Stream?> OpenAsync(TftpChannel channel, CancellationToken stopping)
    {
        if (!_request.Mode.Equals("octet", StringComparison.Ordinal))
        {
            return await RefuseAsync(channel, TftpErrorCode.IllegalOperation, TftpTransferFailure.IllegalOperation,
                $"Mode '{_request.Mode}' is not supported; use octet.").ConfigureAwait(false);
        }

        var lookup = await _files.OpenAsync(_request.FileName, _remote, stopping).ConfigureAwait(false);
        switch (lookup.Status)
        {
            case TftpFileLookupStatus.Found:
                break;
            case TftpFileLookupStatus.NotFound:
                return await RefuseAsync(channel, TftpErrorCode.FileNotFound, TftpTransferFailure.FileNotFound, lookup.Message).ConfigureAwait(false);
            case TftpFileLookupStatus.AccessViolation:
                return await RefuseAsync(channel, TftpErrorCode.AccessViolation, TftpTransferFailure.AccessViolation, lookup.Message).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"Unknown lookup status {lookup.Status}.");
        }

        var content = lookup.Content ?? throw new InvalidOperationException("A found file must come with a stream.");
        return content;
    }

    private async Task<Stream?> RefuseAsync(TftpChannel channel, TftpErrorCode code, TftpTransferFailure failure, string reason)
    {
        await TrySendErrorAsync(channel, code, reason).ConfigureAwait(false);
        Fail(failure, reason);
        return null;
    }

    private async Task SendFileAsync(TftpChannel channel, Stream content, CancellationToken stopping)
    {
        var length = content.CanSeek ? content.Length : (long?)null;
        var negotiation = _options.NegotiateOptions && _request.Options.Count > 0
            ? TftpOptionNegotiation.Negotiate(_request.Options, length, _options.MaxBlockSize, _options.MaxWindowSize, _options.Timeout)
            : new TftpNegotiationResult(TftpTransferParameters.Plain(_options.Timeout), [], null);
        if (negotiation.RefusedReason is { } refused)
        {
            await RefuseAsync(channel, TftpErrorCode.OptionNegotiationRefused, TftpTransferFailure.OptionsRefused, refused).ConfigureAwait(false);
            return;
        }

        var parameters = negotiation.Parameters;
        var startedAt = _time.GetTimestamp();
        TftpLog.TransferStarted(_logger, _id, _request.FileName, _remote, parameters.BlockSize, parameters.WindowSize, parameters.TransferSize);
        _observer?.OnStarted(new TftpTransferStarted(_id, _remote, _request.FileName, parameters, _time.GetUtcNow()));

        if (negotiation.Acknowledged.Count > 0
            && !await SendOptionAckAsync(channel, negotiation.Acknowledged, parameters.Timeout, stopping).ConfigureAwait(false))
        {
            return;
        }

        var bytes = await SendBlocksAsync(channel, content, parameters, stopping).ConfigureAwait(false);
        if (bytes is { } sent)
        {
            var duration = _time.GetElapsedTime(startedAt);
            TftpLog.TransferCompleted(_logger, _id, _request.FileName, _remote, sent, duration.TotalMilliseconds);
            _observer?.OnCompleted(new TftpTransferCompleted(_id, _remote, _request.FileName, sent, duration, _time.GetUtcNow()));
        }
    }

    /// <summary>Sends the OACK until the client's ACK 0 arrives; false when the transfer ended instead.</summary>
    private async Task<bool> SendOptionAckAsync(TftpChannel channel, IReadOnlyList<TftpOption> acknowledged, TimeSpan timeout, CancellationToken stopping)
    {
        var oack = TftpPacketCodec.ToArray(new TftpOptionAckPacket(acknowledged));
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > _options.MaxRetries)
            {
                await TrySendErrorAsync(channel, TftpErrorCode.NotDefined, "Timed out waiting for the ACK of the OACK.").ConfigureAwait(false);
                Fail(TftpTransferFailure.TimedOut, $"No ACK for the OACK after {_options.MaxRetries} retransmissions.");
                return false;
            }

            if (attempt > 0)
            {
                TftpLog.Retransmitting(_logger, _id, 0, attempt);
            }

            await channel.SendAsync(oack, _remote, stopping).ConfigureAwait(false);
            var deadline = channel.DeadlineAfter(timeout);
            while (await ReceiveFromClientAsync(channel, deadline, stopping).ConfigureAwait(false) is { } packet)
            {
                switch (packet)
                {
                    case TftpAckPacket { Block: 0 }:
                        return true;
                    case TftpAckPacket:
                        continue;
                    default:
                        await EndOnUnexpectedAsync(channel, packet).ConfigureAwait(false);
                        return false;
                }
            }
        }
    }

    /// <summary>Sends every block; returns the byte count, or null when the transfer failed (already reported).</summary>
    private async Task<long?> SendBlocksAsync(TftpChannel channel, Stream content, TftpTransferParameters parameters, CancellationToken stopping)
    {
        var window = parameters.WindowSize;
        var blockSize = parameters.BlockSize;
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
                var read = await content.ReadAtLeastAsync(slot.AsMemory(TftpPacketCodec.HeaderLength, blockSize), blockSize, throwOnEndOfStream: false, stopping).ConfigureAwait(false);
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
                await channel.SendAsync(slots[index].AsMemory(0, slotLengths[index]), _remote, stopping).ConfigureAwait(false);
            }

            switch (await AwaitAdvanceAsync(channel, end, parameters.Timeout, stopping).ConfigureAwait(false))
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
                        await TrySendErrorAsync(channel, TftpErrorCode.NotDefined, "Timed out waiting for an ACK.").ConfigureAwait(false);
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
    private async Task<Advance> AwaitAdvanceAsync(TftpChannel channel, long sentUpTo, TimeSpan timeout, CancellationToken stopping)
    {
        var deadline = channel.DeadlineAfter(timeout);
        while (await ReceiveFromClientAsync(channel, deadline, stopping).ConfigureAwait(false) is { } packet)
        {
            if (packet is not TftpAckPacket ack)
            {
                await EndOnUnexpectedAsync(channel, packet).ConfigureAwait(false);
                return Advance.Ended;
            }

            // The newest block ≤ sentUpTo whose low 16 bits match: unambiguous since a window < 65536.
            var block = sentUpTo - ((sentUpTo - ack.Block) & 0xFFFF);
            if (block > _acked)
            {
                _acked = block;
                return Advance.Moved;
            }
        }

        return Advance.TimedOut;
    }

    /// <summary>
    /// Next packet from the client until <paramref name="deadline"/>; null on timeout. Datagrams from
    /// other ports get ERROR 5 and do not disturb the transfer (RFC 1350 §4). A malformed datagram
    /// from the client is returned as an ERROR packet of our own making so callers end the transfer.
    /// </summary>
    private async Task<TftpPacket?> ReceiveFromClientAsync(TftpChannel channel, long deadline, CancellationToken stopping)
    {
        while (await channel.ReceiveAsync(deadline, stopping).ConfigureAwait(false) is var (datagram, from))
        {
            if (!from.Equals(_remote))
            {
                TftpLog.UnknownTransferId(_logger, _id, from);
                await channel.SendAsync(new TftpErrorPacket(TftpErrorCode.UnknownTransferId, "Unknown transfer ID."), from, stopping).ConfigureAwait(false);
                continue;
            }

            try
            {
                return TftpPacketCodec.Parse(datagram);
            }
            catch (TftpPacketFormatException e)
            {
                return new MalformedPacket(e.Message);
            }
        }

        return null;
    }

    private async Task EndOnUnexpectedAsync(TftpChannel channel, TftpPacket packet)
    {
        switch (packet)
        {
            case TftpErrorPacket error:
                Fail(TftpTransferFailure.ClientError, $"Client sent ERROR {(int)error.Code}: {error.Message}");
                break;
            case MalformedPacket malformed:
                await TrySendErrorAsync(channel, TftpErrorCode.IllegalOperation, malformed.Reason).ConfigureAwait(false);
                Fail(TftpTransferFailure.IllegalOperation, $"Malformed packet from the client: {malformed.Reason}");
                break;
            default:
                await TrySendErrorAsync(channel, TftpErrorCode.IllegalOperation, $"Expected an ACK, got {packet.Opcode}.").ConfigureAwait(false);
                Fail(TftpTransferFailure.IllegalOperation, $"Client sent {packet.Opcode} where an ACK was expected.");
                break;
        }
    }

    private async Task TrySendErrorAsync(TftpChannel channel, TftpErrorCode code, string message)
    {
        try
        {
            // Best effort and never cancelled: the client should learn why, even during shutdown.
            await channel.SendAsync(new TftpErrorPacket(code, TftpPacketCodec.ToWireText(message)), _remote, CancellationToken.None).ConfigureAwait(false);
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

    /// <summary>Stands for a datagram that did not parse; never sent.</summary>
    private sealed record MalformedPacket(string Reason) : TftpPacket
    {
        public override TftpOpcode Opcode => TftpOpcode.Error;
    }
}
