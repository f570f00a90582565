namespace Nova.Firmware.Protocols.Tftp;

/// <summary>One decoded TFTP datagram. <see cref="TftpPacketCodec"/> reads and writes them.</summary>
public abstract record TftpPacket
{
    public abstract TftpOpcode Opcode { get; }
}

/// <summary>An option of a request or an OACK: names compare case-insensitively (RFC 2347).</summary>
public readonly record struct TftpOption(string Name, string Value);

/// <summary>RRQ or WRQ: file name, transfer mode and the options the client asks for.</summary>
public sealed record TftpRequestPacket(
    bool IsWrite, string FileName, string Mode, IReadOnlyList<TftpOption> Options) : TftpPacket
{
    public override TftpOpcode Opcode => IsWrite ? TftpOpcode.WriteRequest : TftpOpcode.ReadRequest;
}

/// <summary>A DATA block. <see cref="Data"/> may alias the buffer the packet was parsed from.</summary>
public sealed record TftpDataPacket(ushort Block, ReadOnlyMemory<byte> Data) : TftpPacket
{
    public override TftpOpcode Opcode => TftpOpcode.Data;
}

public sealed record TftpAckPacket(ushort Block) : TftpPacket
{
    public override TftpOpcode Opcode => TftpOpcode.Ack;
}

public sealed record TftpErrorPacket(TftpErrorCode Code, string Message) : TftpPacket
{
    public override TftpOpcode Opcode => TftpOpcode.Error;
}

/// <summary>OACK: the options the server accepted, with the values it chose.</summary>
public sealed record TftpOptionAckPacket(IReadOnlyList<TftpOption> Options) : TftpPacket
{
    public override TftpOpcode Opcode => TftpOpcode.OptionAck;
}
