using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Recovery;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Tests.Infrastructure;

namespace Nova.Firmware.Simulator.Tests.Faces;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TftpRecoveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static DeviceSpec SingleSlot(string id, string tftp, string? fileName = null) => TestFleet.Gateway(id, s =>
    {
        s.Layout = FlashLayout.SingleWithRecovery;
        s.IpAddress = "192.168.0.40";
        s.TftpServer = tftp;
        s.RecoveryFileName = fileName;
    });

    [Fact]
    public async Task Recovery_AfterPowerLossBootLoop_PullsHexIpStockImageFromAtftpdAndBoots()
    {
        using var tftp = AtftpdServer.Start();
        var stock = FactoryImages.Build("Acme", "GW-100", "1.0.5", "aarch64", "1.0");
        tftp.Serve("C0A80028.img", stock);
        var fetcher = new TftpStockImageFetcher();
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(SingleSlot("gw-rec", tftp.Endpoint)), fetcher);
        var device = sim["gw-rec"];
        sim.InjectFault(device.Id, new FaultRequest(FaultKind.PowerLoss, Percent: 40));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.InstallAsync(SimulatedImage.Inspect(TestFleet.GatewayImage("2.0.0")), CancellationToken.None));
        await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Recovery, Timeout);
        var truth = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, Timeout);

        Assert.Equal("1.0.5", truth.RunningVersion);
        Assert.Equal(SimulatedImage.Inspect(stock).Sha256, truth.Slots[0].Sha256);
        Assert.True(truth.Slots[0].Valid);
        Assert.Equal(ResetReason.Update, truth.ResetReason);
        Assert.Contains(truth.SystemLog, l => l.Contains($"tftpboot {tftp.Endpoint} C0A80028.img", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recovery_ConfiguredFileMissingAtFirst_RetriesUntilTheServerHasIt()
    {
        using var tftp = AtftpdServer.Start();
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(SingleSlot("gw-wait", tftp.Endpoint, "gw100-stock.img")), new TftpStockImageFetcher());
        var device = sim["gw-wait"];

        device.RebootIntoRecovery();
        await sim.WaitForAsync(device.Id, t => t.SystemLog.Any(l => l.Contains("TFTP error", StringComparison.Ordinal)), Timeout);
        Assert.Equal(DeviceMode.Recovery, sim.Truth(device.Id).Mode);
        tftp.Serve("gw100-stock.img", FactoryImages.Build("Acme", "GW-100", "1.0.6", "aarch64", "1.0"));

        var truth = await sim.WaitForAsync(device.Id, t => t.Mode == DeviceMode.Normal, Timeout);
        Assert.Equal("1.0.6", truth.RunningVersion);
    }

    [Fact]
    public async Task Recovery_StockImageForOtherSoc_RefusedAndDeviceStaysInRecovery()
    {
        using var tftp = AtftpdServer.Start();
        tftp.Serve("C0A80028.img", FactoryImages.Build("Acme", "GW-100", "1.0.5", "armv7", "1.0"));
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(SingleSlot("gw-soc", tftp.Endpoint)), new TftpStockImageFetcher());
        var device = sim["gw-soc"];

        device.RebootIntoRecovery();
        var truth = await sim.WaitForAsync(device.Id, t => t.SystemLog.Any(l => l.Contains("rejected", StringComparison.Ordinal)), Timeout);

        Assert.Equal(DeviceMode.Recovery, truth.Mode);
        Assert.Equal(LedState.AlternatingRedGreen, truth.Led);
        Assert.Equal(0, truth.FlashCount);
    }
}
