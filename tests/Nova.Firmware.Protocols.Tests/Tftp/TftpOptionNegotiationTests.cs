using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

public sealed class TftpOptionNegotiationTests
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public void Negotiate_AllKnownOptions_AcknowledgesEachWithChosenValue()
    {
        var result = TftpOptionNegotiation.Negotiate(
            [new("BLKSIZE", "1428"), new("tsize", "0"), new("timeout", "3"), new("windowsize", "8"), new("multicast", "")],
            fileLength: 4096, maxBlockSize: 65464, maxWindowSize: 64, DefaultTimeout);

        Assert.False(result.Refused);
        Assert.Equal(new TftpTransferParameters(1428, 8, TimeSpan.FromSeconds(3), 4096), result.Parameters);
        Assert.Equal([new("blksize", "1428"), new("tsize", "4096"), new("timeout", "3"), new("windowsize", "8")], result.Acknowledged);
    }

    [Fact]
    public void Negotiate_ValuesAboveServerLimits_AreLowered()
    {
        var result = TftpOptionNegotiation.Negotiate(
            [new("blksize", "65464"), new("windowsize", "1000")], fileLength: null, maxBlockSize: 8192, maxWindowSize: 16, DefaultTimeout);

        Assert.Equal(8192, result.Parameters.BlockSize);
        Assert.Equal(16, result.Parameters.WindowSize);
        Assert.Null(result.Parameters.TransferSize);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public void Negotiate_TsizeWithUnknownOrZeroLength_IsLeftOut(long? length)
    {
        var result = TftpOptionNegotiation.Negotiate([new("tsize", "0")], fileLength: length, 65464, 64, DefaultTimeout);

        Assert.Empty(result.Acknowledged);
    }

    [Theory]
    [InlineData("blksize", "7")]
    [InlineData("blksize", "-1")]
    [InlineData("blksize", "big")]
    [InlineData("windowsize", "0")]
    [InlineData("windowsize", "65536")]
    [InlineData("timeout", "0")]
    [InlineData("timeout", "256")]
    [InlineData("tsize", "x")]
    public void Negotiate_OutOfRangeValue_IsRefused(string name, string value)
    {
        var result = TftpOptionNegotiation.Negotiate([new(name, value)], 100, 65464, 64, DefaultTimeout);

        Assert.True(result.Refused);
        Assert.Contains(name, result.RefusedReason, StringComparison.Ordinal);
    }
}
