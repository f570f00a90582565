using System.Net;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Protocols.Tests.Tftp;

public sealed class TftpFileNamesTests
{
    [Theory]
    [InlineData("192.168.0.40", "C0A80028.img")]
    [InlineData("10.0.0.1", "0A000001.img")]
    [InlineData("255.255.255.254", "FFFFFFFE.img")]
    public void HexAddressName_Ipv4_IsUBootName(string address, string expected)
    {
        Assert.Equal(expected, TftpFileNames.HexAddressName(IPAddress.Parse(address)));
    }

    [Fact]
    public void HexAddressName_Ipv4MappedIpv6_UsesTheIpv4()
    {
        Assert.Equal("C0A80028.img", TftpFileNames.HexAddressName(IPAddress.Parse("::ffff:192.168.0.40")));
    }

    [Fact]
    public void HexAddressName_Ipv6_Throws()
    {
        Assert.Throws<ArgumentException>(() => TftpFileNames.HexAddressName(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("C0A80028.img", "192.168.0.40")]
    [InlineData("c0a80028.IMG", "192.168.0.40")]
    [InlineData("0A000001", "10.0.0.1")]
    public void TryParseHexAddressName_UBootName_GivesAddress(string name, string expected)
    {
        Assert.True(TftpFileNames.TryParseHexAddressName(name, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("stock.img")]
    [InlineData("C0A8002.img")]
    [InlineData("C0A80028X.img")]
    [InlineData("G0A80028.img")]
    public void TryParseHexAddressName_OtherName_IsFalse(string name)
    {
        Assert.False(TftpFileNames.TryParseHexAddressName(name, out _));
    }
}
