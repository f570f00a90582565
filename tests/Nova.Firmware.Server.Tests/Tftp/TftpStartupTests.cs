using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Server.Tftp;

namespace Nova.Firmware.Server.Tests.Tftp;

/// <summary>Nova:Tftp at start: off by default, bad settings named, a taken port named.</summary>
public sealed class TftpStartupTests
{
    [Fact]
    public async Task Start_WithoutSettings_TftpIsOff()
    {
        await using var server = await NovaServer.StartAsync();

        Assert.Null(server.Services.GetRequiredService<TftpRescueServer>().LocalEndPoint);
        Assert.Equal(6969, server.Services.GetRequiredService<IOptions<TftpOptions>>().Value.Port);
    }

    [Fact]
    public async Task Start_NonsenseSettings_FailsNamingEverySetting()
    {
        var settings = TftpRescueHost.Settings(("Nova:Tftp:Port", "70000"), ("Nova:Tftp:BindAddress", "::1"), ("Nova:Tftp:MaxWindowSize", "0"), ("Nova:Tftp:MaxConcurrentTransfers", "0"));

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => NovaServer.StartAsync(settings: settings));

        Assert.Contains("Nova:Tftp:Port is 70000", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nova:Tftp:BindAddress '::1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nova:Tftp:MaxWindowSize 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nova:Tftp:MaxConcurrentTransfers 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PortNotANumber_FailsNamingThePort()
    {
        var settings = TftpRescueHost.Settings(("Nova:Tftp:Port", "tftp"));

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => NovaServer.StartAsync(settings: settings));

        Assert.Contains("Nova:Tftp:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PortTaken_FailsNamingTheSettings()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var settings = TftpRescueHost.Settings(("Nova:Tftp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => NovaServer.StartAsync(settings: settings));

        Assert.Contains($"UDP 127.0.0.1:{port} (Nova:Tftp:BindAddress, Nova:Tftp:Port)", error.Message, StringComparison.Ordinal);
    }
}
