using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// Downloads a file over TFTP the way U-Boot's <c>tftpboot</c> does: RRQ with options, plain
/// RFC 1350 when the server ignores them, a fresh plain RRQ when it refuses them (ERROR 8).
/// It writes to a stream and verifies nothing: the caller checks the hash.
/// </summary>
public sealed class TftpClient
{
    private const int ProgressEveryBlocks = 256;

    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public TftpClient(ILogger<TftpClient>? logger = null, TimeProvider? time = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public async Task<TftpDownloadResult> DownloadAsync(
        IPEndPoint server, string fileName, Stream destination, TftpClientOptions? options = null,
        IProgress<TftpProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new TftpClientOptions();
        options.Validate();

        var requested = RequestedOptions(options);
        try
        {
            return await new Download(this, server, fileName, destination, options, requested, progress).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsRefusedException refused)
        {
            TftpLog.ClientOptionsRefused(_logger, server, fileName, refused.Message);
            return await new Download(this, server, fileName, destination, options, [], progress).RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<TftpOption> RequestedOptions(TftpClientOptions options)
    {
        var list = new List<TftpOption>();
        if (options.BlockSize is { } blockSize)
        {
            list.Add(new(TftpOptionNames.BlockSize, blockSize.ToString(CultureInfo.InvariantCulture)));
        }

        if (options.WindowSize is { } windowSize)
        {
            list.Add(new(TftpOptionNames.WindowSize, windowSize.ToString(CultureInfo.InvariantCulture)));
        }

        if (options.TimeoutOption is { } seconds)
        {
            list.Add(new(TftpOptionNames.Timeout, seconds.ToString(CultureInfo.InvariantCulture)));
        }

        if (options.RequestTransferSize)
        {
            list.Add(new(TftpOptionNames.TransferSize, "0"));
        }

        return list;
    }

    private sealed class OptionsRefusedException(string message) : Exception(message);

    /// <summary>State of one RRQ exchange.</summary>
    private sealed class Download(
        TftpClient client, IPEndPoint server, string fileName, Stream destination, TftpClientOptions options,
        IReadOnlyList<TftpOption> requested, IProgress<TftpProgress>? progress)
    {
        private TftpTransferParameters _parameters = TftpTransferParameters.Plain(options.Timeout);
        private bool _optionsAcknowledged;
        private IPEndPoint? _peer;
        private byte[] _lastSent = [];
        private long _expected = 1;
        private long _bytes;
        private int _sinceAck;

        public async Task<TftpDownloadResult> RunAsync(CancellationToken cancellationToken)
        {
            var local = new IPEndPoint(IPAddress.IsLoopback(server.Address) ? server.Address : IPAddress.Any, 0);
            using var channel = new TftpChannel(local, client._time);
            var startedAt = client._time.GetTimestamp();
            _lastSent = TftpPacketCodec.ToArray(new TftpRequestPacket(false, fileName, "octet", requested));
            await channel.SendAsync(_lastSent, server, cancellationToken).ConfigureAwait(false);

            var retries = 0;
            var deadline = channel.DeadlineAfter(options.Timeout);
            while (true)
            {
                if (await channel.ReceiveAsync(deadline, cancellationToken).ConfigureAwait(false) is not var (datagram, from))
                {
                    if (++retries > options.MaxRetries)
                    {
                        throw new TftpException($"No answer from {server} for '{fileName}' after {options.MaxRetries} retransmissions (at block {_expected - 1}).");
                    }

                    TftpLog.ClientRetransmitting(client._logger, fileName, retries);
                    await channel.SendAsync(_lastSent, _peer ?? server, cancellationToken).ConfigureAwait(false);
                    deadline = channel.DeadlineAfter(options.Timeout);
                    continue;
                }

                if (_peer is not null && !from.Equals(_peer))
                {
                    await channel.SendAsync(new TftpErrorPacket(TftpErrorCode.UnknownTransferId, "Unknown transfer ID."), from, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_peer is null && !from.Address.Equals(server.Address))
                {
                    continue;
                }

                TftpPacket packet;
                try
                {
                    packet = TftpPacketCodec.Parse(datagram);
                }
                catch (TftpPacketFormatException e)
                {
                    await channel.SendAsync(new TftpErrorPacket(TftpErrorCode.IllegalOperation, TftpPacketCodec.ToWireText(e.Message)), from, cancellationToken).ConfigureAwait(false);
                    throw new TftpException($"Malformed packet from {from}: {e.Message}");
                }

                var first = _peer is null;
                _peer ??= from;
                switch (packet)
                {
                    case TftpErrorPacket { Code: TftpErrorCode.OptionNegotiationRefused } error when first && requested.Count > 0:
                        throw new OptionsRefusedException(error.Message);
                    case TftpErrorPacket error:
                        throw new TftpException($"Server refused '{fileName}': ERROR {(int)error.Code} {error.Message}", error.Code);
                    case TftpOptionAckPacket optionAck when first:
                        await AcceptOptionAckAsync(channel, optionAck, cancellationToken).ConfigureAwait(false);
                        retries = 0;
                        deadline = channel.DeadlineAfter(_parameters.Timeout);
                        break;
                    case TftpOptionAckPacket when _expected == 1:
                        // Our ACK 0 was lost and the server repeats its OACK.
                        await channel.SendAsync(_lastSent, _peer, cancellationToken).ConfigureAwait(false);
                        break;
                    case TftpDataPacket data:
                        if (first && requested.Count > 0)
                        {
                            TftpLog.ClientOptionsIgnored(client._logger, server, fileName);
                        }

                        var expectedBefore = _expected;
                        if (await AcceptDataAsync(channel, data, cancellationToken).ConfigureAwait(false))
                        {
                            progress?.Report(new TftpProgress(_bytes, _parameters.TransferSize));
                            return new TftpDownloadResult(_bytes, _parameters, _optionsAcknowledged, client._time.GetElapsedTime(startedAt));
                        }

                        if (_expected > expectedBefore)
                        {
                            retries = 0;
                            deadline = channel.DeadlineAfter(_parameters.Timeout);
                        }

                        break;
                    default:
                        await SendErrorAsync(channel, TftpErrorCode.IllegalOperation, $"Unexpected {packet.Opcode}.", cancellationToken).ConfigureAwait(false);
                        throw new TftpException($"Server sent {packet.Opcode} during the download of '{fileName}'.");
                }
            }
        }

        private async Task AcceptOptionAckAsync(TftpChannel channel, TftpOptionAckPacket optionAck, CancellationToken cancellationToken)
        {
            if (requested.Count == 0)
            {
                await SendErrorAsync(channel, TftpErrorCode.OptionNegotiationRefused, "No options were requested.", cancellationToken).ConfigureAwait(false);
                throw new TftpException("Server sent an OACK to a request without options.");
            }

            var blockSize = TftpPacketCodec.DefaultBlockSize;
            var windowSize = 1;
            var timeout = options.Timeout;
            long? transferSize = null;
            foreach (var option in optionAck.Options)
            {
                var asked = requested.FirstOrDefault(r => r.Name.Equals(option.Name, StringComparison.OrdinalIgnoreCase));
                if (asked.Name is null
                    || !TftpOptionNegotiation.TryParse(option.Value, 0, long.MaxValue, out var value)
                    || !IsAcceptable(option.Name, value, asked.Value))
                {
                    await SendErrorAsync(channel, TftpErrorCode.OptionNegotiationRefused, $"Unacceptable option {option.Name}={option.Value}.", cancellationToken).ConfigureAwait(false);
                    throw new TftpException($"Server answered option {option.Name}={option.Value}, which was not asked for or is out of range.");
                }

                switch (option.Name.ToLowerInvariant())
                {
                    case TftpOptionNames.BlockSize: blockSize = (int)value; break;
                    case TftpOptionNames.WindowSize: windowSize = (int)value; break;
                    case TftpOptionNames.Timeout: timeout = TimeSpan.FromSeconds(value); break;
                    case TftpOptionNames.TransferSize: transferSize = value; break;
                    default: break;
                }
            }

            _parameters = new TftpTransferParameters(blockSize, windowSize, timeout, transferSize);
            // An empty OACK (atftpd with its options disabled) acknowledges nothing: plain RFC 1350.
            _optionsAcknowledged = optionAck.Options.Count > 0;
            if (!_optionsAcknowledged)
            {
                TftpLog.ClientOptionsIgnored(client._logger, server, fileName);
            }

            await SendAckAsync(channel, 0, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>RFC 2347: the server may lower a value, never raise it.</summary>
        private static bool IsAcceptable(string name, long value, string askedText)
        {
            _ = long.TryParse(askedText, NumberStyles.None, CultureInfo.InvariantCulture, out var asked);
            return name.ToLowerInvariant() switch
            {
                TftpOptionNames.BlockSize => value >= TftpPacketCodec.MinBlockSize && value <= asked,
                TftpOptionNames.WindowSize => value >= 1 && value <= asked,
                TftpOptionNames.Timeout => value is >= 1 and <= 255,
                TftpOptionNames.TransferSize => true,
                _ => false,
            };
        }

        /// <summary>Takes one DATA packet; true when it was the last block.</summary>
        private async Task<bool> AcceptDataAsync(TftpChannel channel, TftpDataPacket data, CancellationToken cancellationToken)
        {
            if (data.Block != (ushort)_expected)
            {
                // A duplicate (our ACK was lost) or a gap in the window: say where we are (RFC 7440).
                _sinceAck = 0;
                await SendAckAsync(channel, _expected - 1, cancellationToken).ConfigureAwait(false);
                return false;
            }

            if (data.Data.Length > _parameters.BlockSize)
            {
                await SendErrorAsync(channel, TftpErrorCode.IllegalOperation, $"Block of {data.Data.Length} bytes exceeds blksize {_parameters.BlockSize}.", cancellationToken).ConfigureAwait(false);
                throw new TftpException($"Server sent a block of {data.Data.Length} bytes with blksize {_parameters.BlockSize}.");
            }

            await destination.WriteAsync(data.Data, cancellationToken).ConfigureAwait(false);
            _bytes += data.Data.Length;
            _expected++;
            var last = data.Data.Length < _parameters.BlockSize;
            if (last || ++_sinceAck >= _parameters.WindowSize)
            {
                _sinceAck = 0;
                await SendAckAsync(channel, _expected - 1, cancellationToken).ConfigureAwait(false);
            }

            if (!last && (_expected - 1) % ProgressEveryBlocks == 0)
            {
                progress?.Report(new TftpProgress(_bytes, _parameters.TransferSize));
            }

            return last;
        }

        private async Task SendAckAsync(TftpChannel channel, long block, CancellationToken cancellationToken)
        {
            _lastSent = TftpPacketCodec.ToArray(new TftpAckPacket((ushort)block));
            await channel.SendAsync(_lastSent, _peer!, cancellationToken).ConfigureAwait(false);
        }

        private async Task SendErrorAsync(TftpChannel channel, TftpErrorCode code, string message, CancellationToken cancellationToken) =>
            await channel.SendAsync(new TftpErrorPacket(code, TftpPacketCodec.ToWireText(message)), _peer!, cancellationToken).ConfigureAwait(false);
    }
}
