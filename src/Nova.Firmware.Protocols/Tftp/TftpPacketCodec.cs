using System.Buffers.Binary;
using System.Text;

namespace Nova.Firmware.Protocols.Tftp;

/// <summary>
/// Reads and writes TFTP packets. Parsing is strict: anything RFC 1350/2347 does not allow is a
/// <see cref="TftpPacketFormatException"/> naming the fault, so a peer gets a precise ERROR 4.
/// </summary>
public static class TftpPacketCodec
{
    /// <summary>Opcode plus block number (DATA, ACK) or opcode plus error code (ERROR).</summary>
    public const int HeaderLength = 4;

    /// <summary>RFC 1350's block size, used when no blksize option was agreed.</summary>
    public const int DefaultBlockSize = 512;

    public const int MinBlockSize = 8;

    /// <summary>RFC 2348's largest block: 65535 minus IP, UDP and TFTP headers.</summary>
    public const int MaxBlockSize = 65464;

    /// <summary>Largest datagram a peer may legally send us.</summary>
    public const int MaxPacketLength = HeaderLength + MaxBlockSize;

    private static readonly string[] Modes = ["octet", "netascii", "mail"];

    public static TftpPacket Parse(ReadOnlyMemory<byte> datagram)
    {
        var span = datagram.Span;
        if (span.Length < 2)
        {
            throw new TftpPacketFormatException($"Packet of {span.Length} byte(s) is too short to hold an opcode.");
        }

        var opcode = BinaryPrimitives.ReadUInt16BigEndian(span);
        return opcode switch
        {
            (ushort)TftpOpcode.ReadRequest => ParseRequest(span[2..], isWrite: false),
            (ushort)TftpOpcode.WriteRequest => ParseRequest(span[2..], isWrite: true),
            (ushort)TftpOpcode.Data => ParseData(datagram),
            (ushort)TftpOpcode.Ack => ParseAck(span),
            (ushort)TftpOpcode.Error => ParseError(span),
            // RFC 2347 wants at least one option in an OACK, but atftpd with every option disabled
            // sends an empty one; refusing it would break a real peer, so it parses.
            (ushort)TftpOpcode.OptionAck => new TftpOptionAckPacket(ParseOptions(span[2..])),
            _ => throw new TftpPacketFormatException($"Unknown opcode {opcode}."),
        };
    }

    /// <summary>Writes <paramref name="packet"/> into <paramref name="destination"/>; returns the length.</summary>
    public static int Write(TftpPacket packet, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var needed = GetLength(packet);
        if (destination.Length < needed)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the packet needs {needed}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)packet.Opcode);
        var rest = destination[2..];
        switch (packet)
        {
            case TftpRequestPacket request:
                var at = WriteString(rest, request.FileName);
                at += WriteString(rest[at..], request.Mode);
                WriteOptions(rest[at..], request.Options);
                break;
            case TftpDataPacket data:
                BinaryPrimitives.WriteUInt16BigEndian(rest, data.Block);
                data.Data.Span.CopyTo(rest[2..]);
                break;
            case TftpAckPacket ack:
                BinaryPrimitives.WriteUInt16BigEndian(rest, ack.Block);
                break;
            case TftpErrorPacket error:
                BinaryPrimitives.WriteUInt16BigEndian(rest, (ushort)error.Code);
                WriteString(rest[2..], error.Message);
                break;
            case TftpOptionAckPacket optionAck:
                WriteOptions(rest, optionAck.Options);
                break;
            default:
                throw new ArgumentException($"Unsupported packet type {packet.GetType().Name}.", nameof(packet));
        }

        return needed;
    }

    public static byte[] ToArray(TftpPacket packet)
    {
        var bytes = new byte[GetLength(packet)];
        Write(packet, bytes);
        return bytes;
    }

    /// <summary>Exact encoded length, after checking the packet can be encoded at all.</summary>
    public static int GetLength(TftpPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return packet switch
        {
            TftpRequestPacket request => 2 + StringLength(request.FileName) + StringLength(request.Mode) + OptionsLength(request.Options),
            TftpDataPacket data => data.Data.Length <= MaxBlockSize
                ? HeaderLength + data.Data.Length
                : throw new ArgumentException($"DATA holds {data.Data.Length} bytes; at most {MaxBlockSize} are allowed.", nameof(packet)),
            TftpAckPacket => HeaderLength,
            TftpErrorPacket error => HeaderLength + StringLength(error.Message),
            TftpOptionAckPacket optionAck => 2 + OptionsLength(optionAck.Options),
            _ => throw new ArgumentException($"Unsupported packet type {packet.GetType().Name}.", nameof(packet)),
        };
    }

    /// <summary>Fills the 4-byte DATA header in place, so a block read from a file needs no copy.</summary>
    public static void WriteDataHeader(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
    }

    /// <summary>
    /// Reads a well-formed ACK in place, without allocating a packet: the per-block path of a
    /// transfer. False for anything else, which <see cref="Parse"/> then explains.
    /// </summary>
    public static bool TryReadAck(ReadOnlySpan<byte> datagram, out ushort block)
    {
        if (datagram.Length == HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(datagram) == (ushort)TftpOpcode.Ack)
        {
            block = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
            return true;
        }

        block = 0;
        return false;
    }

    /// <summary>Makes free text (an exception message, a file name) safe for an ERROR packet.</summary>
    public static string ToWireText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(Math.Min(text.Length, 400), text, static (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });
    }

    private static TftpRequestPacket ParseRequest(ReadOnlySpan<byte> body, bool isWrite)
    {
        var kind = isWrite ? "WRQ" : "RRQ";
        var fileName = ReadString(ref body, $"{kind} file name");
        if (fileName.Length == 0)
        {
            throw new TftpPacketFormatException($"{kind} has an empty file name.");
        }

        var mode = ReadString(ref body, $"{kind} mode");
        var knownMode = Array.Find(Modes, m => m.Equals(mode, StringComparison.OrdinalIgnoreCase))
            ?? throw new TftpPacketFormatException($"{kind} mode '{mode}' is not netascii, octet or mail.");
        return new TftpRequestPacket(isWrite, fileName, knownMode, ParseOptions(body));
    }

    private static TftpDataPacket ParseData(ReadOnlyMemory<byte> datagram)
    {
        if (datagram.Length < HeaderLength)
        {
            throw new TftpPacketFormatException($"DATA of {datagram.Length} bytes has no block number.");
        }

        if (datagram.Length > MaxPacketLength)
        {
            throw new TftpPacketFormatException($"DATA carries {datagram.Length - HeaderLength} bytes; at most {MaxBlockSize} are allowed.");
        }

        var block = BinaryPrimitives.ReadUInt16BigEndian(datagram.Span[2..]);
        return new TftpDataPacket(block, datagram[HeaderLength..]);
    }

    private static TftpAckPacket ParseAck(ReadOnlySpan<byte> span) => span.Length == HeaderLength
        ? new TftpAckPacket(BinaryPrimitives.ReadUInt16BigEndian(span[2..]))
        : throw new TftpPacketFormatException($"ACK must be {HeaderLength} bytes, got {span.Length}.");

    private static TftpErrorPacket ParseError(ReadOnlySpan<byte> span)
    {
        if (span.Length < HeaderLength + 1)
        {
            throw new TftpPacketFormatException($"ERROR of {span.Length} bytes lacks a code or a terminated message.");
        }

        var code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        var body = span[HeaderLength..];
        var message = ReadString(ref body, "ERROR message");
        return body.IsEmpty
            ? new TftpErrorPacket(code, message)
            : throw new TftpPacketFormatException($"ERROR has {body.Length} byte(s) after its message.");
    }

    private static List<TftpOption> ParseOptions(ReadOnlySpan<byte> body)
    {
        var options = new List<TftpOption>();
        while (!body.IsEmpty)
        {
            var name = ReadString(ref body, "option name");
            if (name.Length == 0)
            {
                throw new TftpPacketFormatException("Option with an empty name.");
            }

            if (body.IsEmpty)
            {
                throw new TftpPacketFormatException($"Option '{name}' has no value.");
            }

            var value = ReadString(ref body, $"value of option '{name}'");
            if (options.Exists(o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new TftpPacketFormatException($"Option '{name}' appears twice.");
            }

            options.Add(new TftpOption(name, value));
        }

        return options;
    }

    /// <summary>Reads a NUL-terminated printable-ASCII string and advances past the NUL.</summary>
    private static string ReadString(ref ReadOnlySpan<byte> body, string what)
    {
        var end = body.IndexOf((byte)0);
        if (end < 0)
        {
            throw new TftpPacketFormatException($"The {what} is not terminated by a NUL byte.");
        }

        var bytes = body[..end];
        var bad = bytes.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
        if (bad >= 0)
        {
            throw new TftpPacketFormatException($"The {what} holds byte 0x{bytes[bad]:X2}, which is not printable ASCII.");
        }

        body = body[(end + 1)..];
        return Encoding.ASCII.GetString(bytes);
    }

    private static int WriteString(Span<byte> destination, string value)
    {
        var written = Encoding.ASCII.GetBytes(value, destination);
        destination[written] = 0;
        return written + 1;
    }

    private static void WriteOptions(Span<byte> destination, IReadOnlyList<TftpOption> options)
    {
        var at = 0;
        foreach (var option in options)
        {
            at += WriteString(destination[at..], option.Name);
            at += WriteString(destination[at..], option.Value);
        }
    }

    private static int StringLength(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException($"'{value}' holds a character that is not printable ASCII.", nameof(value));
            }
        }

        return value.Length + 1;
    }

    private static int OptionsLength(IReadOnlyList<TftpOption> options)
    {
        var length = 0;
        foreach (var option in options)
        {
            length += StringLength(option.Name) + StringLength(option.Value);
        }

        return length;
    }
}
