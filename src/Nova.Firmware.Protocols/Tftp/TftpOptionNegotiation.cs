using System.Globalization;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>Outcome of negotiating a read request's options on the server side.</summary>
public sealed record TftpNegotiationResult(
    TftpTransferParameters Parameters, IReadOnlyList<TftpOption> Acknowledged, string? RefusedReason)
{
    public bool Refused => RefusedReason is not null;
}

/// <summary>
/// Server-side option negotiation for a read request. Unknown options are ignored (RFC 2347);
/// a known option with a value outside its RFC range refuses the request (ERROR 8) instead of
/// silently guessing what the client meant.
/// </summary>
public static class TftpOptionNegotiation
{
    public static TftpNegotiationResult Negotiate(
        IReadOnlyList<TftpOption> requested, long? fileLength, int maxBlockSize, int maxWindowSize, TimeSpan defaultTimeout)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var blockSize = TftpPacketCodec.DefaultBlockSize;
        var windowSize = 1;
        var timeout = defaultTimeout;
        long? transferSize = null;
        var acknowledged = new List<TftpOption>();

        foreach (var option in requested)
        {
            var name = option.Name.ToLowerInvariant();
            switch (name)
            {
                case TftpOptionNames.BlockSize:
                    if (!TryParse(option.Value, TftpPacketCodec.MinBlockSize, int.MaxValue, out var askedBlock))
                    {
                        return Refuse($"blksize '{option.Value}' is not a number from {TftpPacketCodec.MinBlockSize} to {TftpPacketCodec.MaxBlockSize}.");
                    }

                    // RFC 2348: the server may answer with a smaller size, never a larger one.
                    blockSize = (int)Math.Min(askedBlock, Math.Min(maxBlockSize, TftpPacketCodec.MaxBlockSize));
                    acknowledged.Add(new TftpOption(name, blockSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                case TftpOptionNames.WindowSize:
                    if (!TryParse(option.Value, 1, 65535, out var askedWindow))
                    {
                        return Refuse($"windowsize '{option.Value}' is not a number from 1 to 65535.");
                    }

                    windowSize = (int)Math.Min(askedWindow, maxWindowSize);
                    acknowledged.Add(new TftpOption(name, windowSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                case TftpOptionNames.Timeout:
                    if (!TryParse(option.Value, 1, 255, out var seconds))
                    {
                        return Refuse($"timeout '{option.Value}' is not a number of seconds from 1 to 255.");
                    }

                    timeout = TimeSpan.FromSeconds(seconds);
                    acknowledged.Add(new TftpOption(name, option.Value));
                    break;
                case TftpOptionNames.TransferSize:
                    if (!TryParse(option.Value, 0, long.MaxValue, out _))
                    {
                        return Refuse($"tsize '{option.Value}' is not a non-negative number.");
                    }

                    // Without a known length the option is left out of the OACK, which RFC 2347 allows.
                    // So is a length of 0: curl rejects an OACK saying tsize 0 as illegal.
                    if (fileLength is { } length and > 0)
                    {
                        transferSize = length;
                        acknowledged.Add(new TftpOption(name, length.ToString(CultureInfo.InvariantCulture)));
                    }

                    break;
                default:
                    break;
            }
        }

        return new TftpNegotiationResult(new TftpTransferParameters(blockSize, windowSize, timeout, transferSize), acknowledged, null);

        TftpNegotiationResult Refuse(string reason) =>
            new(TftpTransferParameters.Plain(defaultTimeout), [], reason);
    }

    internal static bool TryParse(string value, long min, long max, out long result) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;
}
