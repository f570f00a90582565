using System.Net;
using Nova.Firmware.Server.Tftp;

namespace Nova.Firmware.Server.Tests.Tftp;

public sealed class TftpRequestNameTests
{
    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("stock/../../etc/passwd")]
    [InlineData("..\\boot.ini")]
    [InlineData("/etc/passwd")]
    [InlineData("/var/lib/nova/blobs/stock.img")]
    [InlineData("\\windows\\system.ini")]
    [InlineData("C:\\stock.img")]
    [InlineData("Acme//1.0/stock.img")]
    [InlineData("./stock.img")]
    [InlineData("Acme/GW-100/stock.img")]
    public void Parse_ClimbingAbsoluteOrOddNames_AreRefused(string name)
    {
        Assert.IsType<TftpRequestName.Refused>(TftpRequestName.Parse(name));
    }

    [Fact]
    public void Parse_HexAddressName_ReadsTheAddress()
    {
        var name = Assert.IsType<TftpRequestName.AddressName>(TftpRequestName.Parse("C0A80028.img"));
        Assert.Equal(IPAddress.Parse("192.168.0.40"), name.Address);
    }

    [Fact]
    public void Parse_CatalogPath_ReadsItsFourParts()
    {
        var path = Assert.IsType<TftpRequestName.CatalogPath>(TftpRequestName.Parse("Acme/GW-100/1.0/gw-stock.img"));
        Assert.Equal(("Acme", "GW-100", "1.0", "gw-stock.img"), (path.Vendor, path.Model, path.HardwareRevision, path.FileName));
    }

    [Theory]
    [InlineData("gw-100-stock.img")]
    [InlineData("C0A80028-stock.img")]
    public void Parse_OtherNames_ArePlainFileNames(string name)
    {
        Assert.IsType<TftpRequestName.PlainFile>(TftpRequestName.Parse(name));
    }

    [Theory]
    [InlineData("192.168.0.40", "192.168.0.40")]
    [InlineData(" 192.168.0.40 ", "192.168.0.40")]
    [InlineData("192.168.0.40:8080", "192.168.0.40")]
    [InlineData("http://192.168.0.40/onvif/device_service", "192.168.0.40")]
    [InlineData("https://192.168.0.40:8443/onvif/device_service", "192.168.0.40")]
    [InlineData("camera-7.local", null)]
    [InlineData("http://camera-7.local/onvif/device_service", null)]
    [InlineData("10", null)]
    [InlineData("fe80::1", null)]
    [InlineData("", null)]
    public void HostOf_InventoryAddress_GivesTheIpv4HostOnly(string address, string? expected)
    {
        Assert.Equal(expected is null ? null : IPAddress.Parse(expected), DeviceAddresses.HostOf(address));
    }
}
