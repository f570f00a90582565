using System.Net;
using System.Text;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Onvif.Vendor;
using Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>The vendor extension against the simulated camera, and what a camera without it looks like.</summary>
public sealed class VendorExtensionClientTests
{
    private static readonly OnvifCredentials Admin = new("admin", "admin");

    [Theory]
    [InlineData("http://10.0.0.5:8080/onvif/cam-1/device_service", "http://10.0.0.5:8080/devices/cam-1/api/v1/")]
    [InlineData("http://sim.test/prefix/onvif/cam%201/device_service", "http://sim.test/prefix/devices/cam%201/api/v1/")]
    public void DeriveBaseUri_SimulatorShapedDeviceService_VendorBaseOnTheSameOrigin(string deviceService, string expected)
    {
        Assert.Equal(new Uri(expected), VendorExtensionClient.DeriveBaseUri(new Uri(deviceService)));
    }

    [Theory]
    [InlineData("http://10.0.0.5/onvif/device_service")]
    [InlineData("http://10.0.0.5/onvif/services")]
    [InlineData("http://10.0.0.5/")]
    public void DeriveBaseUri_OtherShapes_Null(string deviceService)
    {
        Assert.Null(VendorExtensionClient.DeriveBaseUri(new Uri(deviceService)));
    }

    [Fact]
    public async Task GetStatus_SimulatedCamera_IdentitySlotsStorageAndPower()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var onvif = OnvifClient.Create(cameras.DeviceService("cam-1"), Admin);
        var vendor = onvif.CreateVendorExtensionClient()!;

        var result = await vendor.GetStatusAsync();

        Assert.True(result.HasVendorExtension);
        var status = result.Status!;
        Assert.Equal(("Optica", "CAM-7", "1.0", "armv7", "SN-cam-1", "1.0.0"), (status.Vendor, status.Model, status.HwRevision, status.Soc, status.Serial, status.FirmwareVersion));
        Assert.Equal(["A", "B"], status.Slots.Select(s => s.Name));
        Assert.True(status.Slots.Single(s => s.Name == "A").Active);
        Assert.Equal(64L * 1024 * 1024, status.Storage.TotalBytes);
        Assert.Equal("dc", status.PowerFeed);
        Assert.Equal("normal", status.Mode);
    }

    [Fact]
    public async Task CleanUpStorage_Snapshots_FreesTheirSpace()
    {
        var camera = SimulatedCameras.Camera("cam-1", s => s.StorageItems =
        [
            new StorageItemSpec { Name = "snap-1", Kind = StorageItemKind.Snapshot, SizeBytes = 1_000_000 },
            new StorageItemSpec { Name = "log-1", Kind = StorageItemKind.Log, SizeBytes = 5_000 },
        ]);
        await using var cameras = await SimulatedCameras.StartAsync(camera);
        var vendor = new VendorExtensionClient(new HttpClient(), VendorExtensionClient.DeriveBaseUri(cameras.DeviceService("cam-1"))!, Admin);
        var before = await vendor.GetStorageAsync();

        var cleanup = await vendor.CleanUpStorageAsync(VendorStorageKind.Snapshot);
        var missing = await vendor.DeleteStorageItemAsync("no-such-item");
        var removed = await vendor.DeleteStorageItemAsync("log-1");

        Assert.Equal(2, before.Items.Count);
        Assert.Equal(1_000_000, cleanup.FreedBytes);
        Assert.Equal(before.FreeBytes + 1_000_000, cleanup.FreeBytes);
        Assert.Null(missing);
        Assert.Equal(5_000, removed!.FreedBytes);
        Assert.Empty((await vendor.GetStorageAsync()).Items);
    }

    [Fact]
    public async Task GetLogs_AfterAnOnvifUpgrade_SystemAndPreFlashLogsTellTheStory()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var onvif = OnvifClient.Create(cameras.DeviceService("cam-1"), Admin);
        var vendor = onvif.CreateVendorExtensionClient()!;
        var image = SimulatedCameras.CameraImage("3.1.0");
        await onvif.UpgradeFirmwareAsync(new MemoryStream(image), image.Length);
        await cameras.Simulation.WaitForAsync("cam-1", t => t.Mode == DeviceMode.Normal && t.RunningVersion == "3.1.0", TimeSpan.FromSeconds(15));

        var system = await vendor.GetSystemLogAsync();
        var preFlash = await vendor.GetPreFlashLogAsync();

        Assert.Contains("booted slot A", system, StringComparison.Ordinal);
        Assert.Contains("3.1.0", preFlash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RebootIntoRecovery_WithAndWithoutARecoveryPartition_StartedOrNoRecoveryPartition()
    {
        await using var cameras = await SimulatedCameras.StartAsync(
            SimulatedCameras.Camera("cam-1"), SimulatedCameras.Camera("cam-2", s => s.HasRecoveryPartition = false));
        using var http = new HttpClient();
        var withPartition = new VendorExtensionClient(http, VendorExtensionClient.DeriveBaseUri(cameras.DeviceService("cam-1"))!, Admin);
        var without = new VendorExtensionClient(http, VendorExtensionClient.DeriveBaseUri(cameras.DeviceService("cam-2"))!, Admin);

        var refused = await without.RebootIntoRecoveryAsync();
        var started = await withPartition.RebootIntoRecoveryAsync();

        Assert.Equal(VendorRecoveryOutcome.NoRecoveryPartition, refused.Outcome);
        Assert.Contains("recovery partition", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(VendorRecoveryOutcome.Started, started.Outcome);
        await cameras.Simulation.WaitForAsync("cam-1", t => t.Mode == DeviceMode.Recovery, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task GetStatus_WrongPassword_AuthenticationFailed()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var http = new HttpClient();
        var vendor = new VendorExtensionClient(http, VendorExtensionClient.DeriveBaseUri(cameras.DeviceService("cam-1"))!, new OnvifCredentials("admin", "nope"));

        var error = await Assert.ThrowsAsync<OnvifAuthenticationException>(() => vendor.GetStatusAsync());

        Assert.Equal(401, error.HttpStatus);
    }

    [Fact]
    public async Task GetStatus_CameraWithoutTheExtension404_NotPresentRatherThanAnError()
    {
        using var camera = new StubCamera(_ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html>Not Found</html>") });
        using var http = new HttpClient(camera);
        var vendor = new VendorExtensionClient(http, new Uri("http://camera.test/devices/x/api/v1"), Admin);

        var result = await vendor.GetStatusAsync();

        Assert.False(result.HasVendorExtension);
        Assert.Equal(new Uri("http://camera.test/devices/x/api/v1/status"), camera.Requests.Single().Uri);
    }

    [Fact]
    public async Task GetStatus_JsonMissingRequiredFields_MalformedResponse()
    {
        using var camera = new StubCamera(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"vendor\":\"Optica\"}", Encoding.UTF8, "application/json") });
        using var http = new HttpClient(camera);
        var vendor = new VendorExtensionClient(http, new Uri("http://camera.test/devices/x/api/v1/"), Admin);

        var error = await Assert.ThrowsAsync<OnvifMalformedResponseException>(() => vendor.GetStatusAsync());

        Assert.Equal(OnvifErrorKind.MalformedResponse, error.Kind);
    }
}
