using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;
using Nova.Firmware.Simulator.Devices;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>StartFirmwareUpgrade and the upload against simulated cameras, checked through the simulator's truth.</summary>
public sealed class FirmwareUploadSimulatorTests
{
    private static OnvifClient Client(SimulatedCameras cameras, string id) =>
        OnvifClient.Create(cameras.DeviceService(id), new OnvifCredentials("admin", "admin"), options: new OnvifClientOptions { AuthMode = OnvifAuthMode.Digest });

    [Fact]
    public async Task UpgradeFirmware_ValidImage_200AndCameraBootsTheNewVersionFromSlotB()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1");
        var image = SimulatedCameras.CameraImage("3.1.0");
        var progress = new List<long>();

        var result = await client.UpgradeFirmwareAsync(new MemoryStream(image), image.Length, new SynchronousProgress(progress));

        Assert.Equal(200, result.HttpStatus);
        Assert.Equal(image.Length, result.BytesSent);
        Assert.Equal(image.Length, progress[^1]);
        Assert.True(result.Ticket.ExpectedDownTime > TimeSpan.Zero);
        var truth = await cameras.Simulation.WaitForAsync("cam-1", t => t.Mode == DeviceMode.Normal && t.RunningVersion == "3.1.0", TimeSpan.FromSeconds(15));
        Assert.Equal("B", truth.BootSlot);
        Assert.Equal(ResetReason.Update, truth.ResetReason);
        Assert.Equal(1, truth.FlashCount);
        Assert.Equal("3.1.0", (await client.GetDeviceInformationAsync()).FirmwareVersion);
    }

    [Fact]
    public async Task UpgradeFirmware_ImageForOtherHardware_415WithTheCamerasWordsAndNothingWritten()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1");
        var image = SimulatedCameras.CameraImage("3.1.0", soc: "aarch64");

        var error = await Assert.ThrowsAsync<OnvifUploadException>(() => client.UpgradeFirmwareAsync(new MemoryStream(image), image.Length));

        Assert.Equal(OnvifErrorKind.UploadRejected, error.Kind);
        Assert.Equal(415, error.HttpStatus);
        Assert.True(error.IsInvalidImage);
        Assert.Equal("SW not compatible with hardware", error.ResponseText);
        Assert.Equal(0, cameras.Simulation.Truth("cam-1").FlashCount);
    }

    [Fact]
    public async Task UpgradeFirmware_StagingAreaFull_500NoSpaceLeftOnDevice()
    {
        var camera = SimulatedCameras.Camera("cam-1", s =>
        {
            s.StorageCapacityBytes = 1_000_000;
            s.StorageItems = [new StorageItemSpec { Name = "snap-1", Kind = StorageItemKind.Snapshot, SizeBytes = 999_000 }];
        });
        await using var cameras = await SimulatedCameras.StartAsync(camera);
        using var client = Client(cameras, "cam-1");
        var image = SimulatedCameras.CameraImage("3.1.0");

        var error = await Assert.ThrowsAsync<OnvifUploadException>(() => client.UpgradeFirmwareAsync(new MemoryStream(image), image.Length));

        Assert.Equal(500, error.HttpStatus);
        Assert.Equal("No space left on device", error.ResponseText);
        Assert.Equal(0, cameras.Simulation.Truth("cam-1").FlashCount);
    }

    [Fact]
    public async Task UploadFirmware_StreamShorterThanDeclared_EndOfStreamAndCameraKeepsItsVersion()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1");
        var image = SimulatedCameras.CameraImage("3.1.0");
        var ticket = await client.StartFirmwareUpgradeAsync();

        await Assert.ThrowsAnyAsync<EndOfStreamException>(() => client.UploadFirmwareAsync(ticket, new NonSeekableStream(image[..100]), image.Length));

        Assert.Equal(0, cameras.Simulation.Truth("cam-1").FlashCount);
    }

    /// <summary>Progress reported on the caller's thread, so the last value is there when the call returns.</summary>
    private sealed class SynchronousProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
