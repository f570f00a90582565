using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Server.Tftp;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Recovery;
using Nova.Firmware.Simulator.Faults;
using Nova.Firmware.Simulator.Fleet;
using SimKind = Nova.Firmware.Simulator.Devices.DeviceKind;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// Simulated devices in recovery pull their stock image from the product's own TFTP server (U-Boot's
/// address name, no file name configured on the device), check it and boot it. The catalog holds a
/// newer stock image for another revision of the same model, which must not be the one served.
/// </summary>
public sealed class TftpRecoveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 180_000)]
    public async Task DevicesInRecovery_PullTheirStockImageFromNova_AndBoot()
    {
        await using var server = await NovaServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["Nova:Tftp:Enabled"] = "true",
            ["Nova:Tftp:BindAddress"] = "127.0.0.1",
            ["Nova:Tftp:Port"] = "0",
        });
        var tftp = server.Services.GetRequiredService<TftpRescueServer>().LocalEndPoint!;
        var camera = Spec("cam-1", SimKind.Camera, "CAM-300", "B", "cv25", "10.30.0.7", tftp);
        var gateway = Spec("gw-1", SimKind.Gateway, "GW-100", "1.0", "aarch64", "10.30.0.8", tftp);
        foreach (var spec in new[] { camera, gateway })
        {
            var device = FleetBuilder.Gateway(spec.Id, spec.Model, spec.HwRevision, spec.Soc);
            device.Address = spec.IpAddress;
            if (spec.Kind == SimKind.Camera)
            {
                (device.Kind, device.Protocol) = (global::Nova.Firmware.Domain.Devices.DeviceKind.Camera, global::Nova.Firmware.Domain.Devices.DeviceProtocol.Onvif);
            }
            await server.AddDeviceAsync(device);
        }
        var cameraStock = await ImportStockAsync(server, "CAM-300", "B", "cv25", "2.1.0");
        await ImportStockAsync(server, "CAM-300", "C", "cv25", "3.0.0");
        var gatewayStock = await ImportStockAsync(server, "GW-100", "1.0", "aarch64", "1.0.7");
        await using var sim = new Simulation(new FleetDefinition { TimeScale = 10, Devices = [camera, gateway] }, stockImageFetcher: new TftpStockImageFetcher());
        sim.Start();
        await sim.WaitForAsync("cam-1", t => t.Mode == DeviceMode.Normal, Timeout);
        await sim.WaitForAsync("gw-1", t => t.Mode == DeviceMode.Normal, Timeout);

        // The camera through its vendor API's recovery trigger; the gateway the hard way: power lost mid-flash.
        sim["cam-1"].RebootIntoRecovery();
        sim.InjectFault("gw-1", new FaultRequest(FaultKind.PowerLoss, Percent: 40));
        var update = SimulatedImage.Build("2.0.0", "aarch64", ["1.0"], vendor: "Acme", model: "GW-100");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sim["gw-1"].InstallAsync(SimulatedImage.Inspect(update), CancellationToken.None));

        var cameraTruth = await sim.WaitForAsync("cam-1", t => t.Mode == DeviceMode.Normal && t.RunningVersion == "2.1.0", Timeout);
        var gatewayTruth = await sim.WaitForAsync("gw-1", t => t.Mode == DeviceMode.Normal && t.RunningVersion == "1.0.7", Timeout);

        Assert.Equal(SimulatedImage.Inspect(cameraStock).Sha256, cameraTruth.Slots[0].Sha256);
        Assert.Equal(SimulatedImage.Inspect(gatewayStock).Sha256, gatewayTruth.Slots[0].Sha256);
        Assert.Contains(cameraTruth.SystemLog, l => l.Contains($"tftpboot {tftp} 0A1E0007.img", StringComparison.Ordinal));
        foreach (var id in new[] { "cam-1", "gw-1" })
        {
            var completed = await Eventually.GetAsync(() => TransferEventsAsync(server, id), events => events.Contains("completed"), Timeout, $"a completed transfer on {id}'s timeline");
            Assert.Equal("started", completed[0]);
        }
    }

    private static DeviceSpec Spec(string id, SimKind kind, string model, string revision, string soc, string ip, IPEndPoint tftp) => new()
    {
        Id = id, Kind = kind, Vendor = "Acme", Model = model, HwRevision = revision, Soc = soc, Serial = id, FirmwareVersion = "1.0.0",
        IpAddress = ip, Layout = FlashLayout.SingleWithRecovery, TftpServer = tftp.ToString(),
        BootSeconds = 5, FlashWriteSeconds = 5, PowerRestoreSeconds = 2, RecoveryRetrySeconds = 10,
    };

    /// <summary>Imports a stock image through the management API, as an operator would; returns its bytes.</summary>
    private static async Task<byte[]> ImportStockAsync(NovaServer server, string model, string revision, string soc, string version)
    {
        var image = SimulatedImage.Build(version, soc, [revision], payloadBytes: 256 * 1024, vendor: "Acme", model: model);
        using var admin = server.CreateAdminClient();
        using var form = NovaApi.PackageForm("Acme", version, model, revision, soc, image, $"{model}-{revision}-{version}-stock.img", kind: "stock");
        var response = await admin.PostAsync("/api/v1/packages", form);
        Assert.True(response.IsSuccessStatusCode, $"Import failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return image;
    }

    private static async Task<List<string>> TransferEventsAsync(NovaServer server, string controllerId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var device = await db.Set<global::Nova.Firmware.Domain.Devices.Device>().SingleAsync(d => d.ControllerId == controllerId);
        var data = await db.Set<TimelineEntry>().Where(e => e.DeviceId == device.Id && e.Kind == TimelineEntryKind.Transfer)
            .OrderBy(e => e.Id).Select(e => e.Data!).ToListAsync();
        return data.Select(d => JsonDocument.Parse(d).RootElement.GetProperty("event").GetString()!).ToList();
    }
}
