using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

public sealed class TftpPacketCodecTests
{
    public static TheoryData<TftpPacket> Packets() => new()
    {
        new TftpRequestPacket(false, "C0A80028.img", "octet", []),
        new TftpRequestPacket(false, "images/stock.bin", "octet", [new("blksize", "1428"), new("tsize", "0"), new("windowsize", "8"), new("timeout", "3")]),
        new TftpRequestPacket(true, "upload.bin", "netascii", []),
        new TftpAckPacket(0),
        new TftpAckPacket(65535),
        new TftpErrorPacket(TftpErrorCode.FileNotFound, "File not found."),
        new TftpErrorPacket(TftpErrorCode.OptionNegotiationRefused, ""),
        new TftpOptionAckPacket([new("blksize", "1428"), new("tsize", "33555432")]),
    };

    [Theory]
    [MemberData(nameof(Packets))]
    public void Parse_WrittenPacket_RoundTrips(TftpPacket packet)
    {
        var bytes = TftpPacketCodec.ToArray(packet);

        var parsed = TftpPacketCodec.Parse(bytes);

        Assert.Equal(packet.Opcode, parsed.Opcode);
        Assert.Equal(bytes, TftpPacketCodec.ToArray(parsed));
        switch (packet, parsed)
        {
            case (TftpRequestPacket a, TftpRequestPacket b):
                Assert.Equal((a.IsWrite, a.FileName, a.Mode), (b.IsWrite, b.FileName, b.Mode));
                Assert.Equal(a.Options, b.Options);
                break;
            case (TftpOptionAckPacket a, TftpOptionAckPacket b):
                Assert.Equal(a.Options, b.Options);
                break;
            default:
                Assert.Equal(packet, parsed);
                break;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(TftpPacketCodec.MaxBlockSize)]
    public void Parse_DataPacket_KeepsBlockAndPayload(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);

        var parsed = Assert.IsType<TftpDataPacket>(TftpPacketCodec.Parse(TftpPacketCodec.ToArray(new TftpDataPacket(40000, payload))));

        Assert.Equal(40000, parsed.Block);
        Assert.Equal(payload, parsed.Data.ToArray());
    }

    [Fact]
    public void Write_ReadRequest_ProducesRfc1350Layout()
    {
        var bytes = TftpPacketCodec.ToArray(new TftpRequestPacket(false, "a", "octet", [new("blksize", "1428")]));

        Assert.Equal("\0\u0001a\0octet\0blksize\01428\0", System.Text.Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Parse_ModeInUpperCase_IsNormalised()
    {
        var parsed = Assert.IsType<TftpRequestPacket>(TftpPacketCodec.Parse(Bytes("0001", "f\0OCTET\0")));

        Assert.Equal("octet", parsed.Mode);
    }

    [Theory]
    [InlineData("", "", "too short")]
    [InlineData("00", "", "too short")]
    [InlineData("0009", "", "Unknown opcode 9")]
    [InlineData("0000", "", "Unknown opcode 0")]
    [InlineData("0001", "file", "file name is not terminated")]
    [InlineData("0001", "\0octet\0", "empty file name")]
    [InlineData("0001", "file\0octet", "mode is not terminated")]
    [InlineData("0001", "file\0binary\0", "mode 'binary'")]
    [InlineData("0001", "file\0octet\0blksize\0", "has no value")]
    [InlineData("0001", "file\0octet\0blksize", "option name is not terminated")]
    [InlineData("0001", "file\0octet\0blksize\01428", "not terminated")]
    [InlineData("0001", "file\0octet\0\0x\0", "empty name")]
    [InlineData("0001", "file\0octet\0blksize\0512\0BLKSIZE\01428\0", "appears twice")]
    [InlineData("0001", "fi\u0001le\0octet\0", "byte 0x01")]
    [InlineData("0003", "\0", "no block number")]
    [InlineData("0004", "\0", "ACK must be 4 bytes")]
    [InlineData("0004", "\0\u0001\0", "ACK must be 4 bytes")]
    [InlineData("0005", "\0\u0001", "lacks a code")]
    [InlineData("0005", "\0\u0001oops", "not terminated")]
    [InlineData("0005", "\0\u0001oops\0x", "after its message")]
    [InlineData("0006", "blksize\0", "has no value")]
    public void Parse_MalformedPacket_ThrowsWithReason(string opcodeHex, string body, string reason)
    {
        var exception = Assert.Throws<TftpPacketFormatException>(() => TftpPacketCodec.Parse(Bytes(opcodeHex, body)));

        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyOptionAck_IsAccepted()
    {
        // atftpd sends this when all its options are disabled.
        var parsed = Assert.IsType<TftpOptionAckPacket>(TftpPacketCodec.Parse(Bytes("0006", "")));

        Assert.Empty(parsed.Options);
    }

    [Fact]
    public void Parse_DataLargerThanMaxBlockSize_Throws()
    {
        var bytes = new byte[TftpPacketCodec.MaxPacketLength + 1];
        TftpPacketCodec.WriteDataHeader(bytes, 1);

        var exception = Assert.Throws<TftpPacketFormatException>(() => TftpPacketCodec.Parse(bytes));

        Assert.Contains("at most 65464", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NonAsciiFileName_Throws()
    {
        Assert.Throws<ArgumentException>(() => TftpPacketCodec.ToArray(new TftpRequestPacket(false, "bild\u00e4.img", "octet", [])));
    }

    [Fact]
    public void ToWireText_ControlAndNonAscii_AreReplaced()
    {
        Assert.Equal("a?b?c", TftpPacketCodec.ToWireText("a\nb\u2013c"));
    }

    [Theory]
    [InlineData(new byte[] { 0, 4, 0, 0 }, true, 0)]
    [InlineData(new byte[] { 0, 4, 0xFF, 0xFE }, true, 65534)]
    [InlineData(new byte[] { 0, 4, 0 }, false, 0)]
    [InlineData(new byte[] { 0, 4, 0, 1, 0 }, false, 0)]
    [InlineData(new byte[] { 0, 3, 0, 1 }, false, 0)]
    [InlineData(new byte[] { 0, 5, 0, 1 }, false, 0)]
    public void TryReadAck_ReadsOnlyAWellFormedAck(byte[] datagram, bool isAck, int block)
    {
        var read = TftpPacketCodec.TryReadAck(datagram, out var readBlock);

        Assert.Equal(isAck, read);
        Assert.Equal(block, readBlock);
        if (read)
        {
            Assert.Equal(new TftpAckPacket((ushort)block), TftpPacketCodec.Parse(datagram));
        }
    }

    private static byte[] Bytes(string opcodeHex, string body) =>
        [.. Convert.FromHexString(opcodeHex), .. System.Text.Encoding.Latin1.GetBytes(body)];
}
