using System.Net;
using System.Net.Sockets;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Tests.Onvif.Infrastructure;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faults;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>The client against the simulated camera's ONVIF face, over real HTTP on 127.0.0.1.</summary>
public sealed class OnvifClientSimulatorTests
{
    private static OnvifClient Client(SimulatedCameras cameras, string id, OnvifAuthMode mode, string password = "admin") =>
        OnvifClient.Create(cameras.DeviceService(id), new OnvifCredentials("admin", password), options: new OnvifClientOptions { AuthMode = mode, RetryDelay = TimeSpan.FromMilliseconds(50) });

    [Theory]
    [InlineData(OnvifAuthMode.Digest)]
    [InlineData(OnvifAuthMode.UsernameToken)]
    [InlineData(OnvifAuthMode.Auto)]
    public async Task GetDeviceInformation_EachAuthMode_ReturnsTheSimulatedIdentity(OnvifAuthMode mode)
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1", mode);

        var info = await client.GetDeviceInformationAsync();

        Assert.Equal(new OnvifDeviceInformation("Optica", "CAM-7", "1.0.0", "SN-cam-1", "1.0/armv7"), info);
    }

    [Theory]
    [InlineData(OnvifAuthMode.Digest)]
    [InlineData(OnvifAuthMode.UsernameToken)]
    [InlineData(OnvifAuthMode.Auto)]
    public async Task GetDeviceInformation_WrongPassword_AuthenticationFailed(OnvifAuthMode mode)
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1", mode, password: "wrong");

        var error = await Assert.ThrowsAsync<OnvifAuthenticationException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifErrorKind.AuthenticationFailed, error.Kind);
        Assert.Equal(401, error.HttpStatus);
        Assert.Equal(mode == OnvifAuthMode.UsernameToken ? OnvifAuthMode.UsernameToken : OnvifAuthMode.Digest, error.Attempted);
    }

    [Fact]
    public async Task GetSystemDateAndTime_SimulatedClockRunsFaster_ReportsCameraTimeAndSkew()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1", OnvifAuthMode.Digest);

        var clock = await client.GetSystemDateAndTimeAsync();

        Assert.NotNull(clock.CameraUtc);
        Assert.Equal(clock.ClockSkew, client.ClockSkew);
        Assert.Equal("UTC0", clock.TimeZone);
    }

    [Fact]
    public async Task GetServiceAddresses_CameraSupportsNeitherGetServicesNorGetCapabilities_DeviceServiceOnly()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1", OnvifAuthMode.Digest);

        var addresses = await client.GetServiceAddressesAsync();

        Assert.Equal(OnvifServiceSource.None, addresses.Source);
        Assert.Equal(cameras.DeviceService("cam-1"), addresses.ByNamespace[OnvifNamespaces.Device]);
    }

    [Fact]
    public async Task GetSystemLog_SystemAndAccess_TextOfTheCamerasLog()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1", OnvifAuthMode.Digest);

        var system = await client.GetSystemLogAsync(OnvifSystemLogType.System);
        var access = await client.GetSystemLogAsync(OnvifSystemLogType.Access);

        Assert.Contains("booted slot A", system.Text, StringComparison.Ordinal);
        Assert.Equal("", access.Text);
    }

    [Fact]
    public async Task SystemReboot_Accepted_CameraRebootsWithUserResetReason()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        using var client = Client(cameras, "cam-1", OnvifAuthMode.Digest);

        var message = await client.SystemRebootAsync();

        Assert.StartsWith("Rebooting", message, StringComparison.Ordinal);
        var truth = await cameras.Simulation.WaitForAsync("cam-1", t => t.ResetReason == ResetReason.User && t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(15));
        Assert.Equal("1.0.0", truth.RunningVersion);
    }

    [Fact]
    public async Task GetDeviceInformation_CameraCutOffByFault_UnreachableConnectionReset()
    {
        await using var cameras = await SimulatedCameras.StartAsync(SimulatedCameras.Camera("cam-1"));
        cameras.Simulation.InjectFault("cam-1", new FaultRequest(FaultKind.Unreachable));
        using var client = Client(cameras, "cam-1", OnvifAuthMode.Digest);

        var error = await Assert.ThrowsAsync<OnvifUnreachableException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifErrorKind.Unreachable, error.Kind);
        Assert.Equal(OnvifUnreachableReason.ConnectionReset, error.Reason);
    }

    [Fact]
    public async Task GetDeviceInformation_NothingListens_UnreachableConnectionRefused()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var client = OnvifClient.Create(new Uri($"http://127.0.0.1:{port}/onvif/device_service"), new OnvifCredentials("admin", "admin"), options: new OnvifClientOptions { ReadRetries = 0 });

        var error = await Assert.ThrowsAsync<OnvifUnreachableException>(() => client.GetDeviceInformationAsync());

        Assert.Equal(OnvifUnreachableReason.ConnectionRefused, error.Reason);
    }
}
