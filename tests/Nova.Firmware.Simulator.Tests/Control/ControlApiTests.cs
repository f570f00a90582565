using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Tests.Infrastructure;

namespace Nova.Firmware.Simulator.Tests.Control;

public sealed class ControlApiTests
{
    internal static Uri BaseUrl(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    [Fact]
    public async Task GetDevice_KnownDevice_ReturnsTrueStateWithSlotsAndStorage()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Gateway("gw-1"), TestFleet.Camera("cam-1")));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var http = new HttpClient { BaseAddress = BaseUrl(app) };

        var list = await http.GetFromJsonAsync<JsonElement>("control/v1/devices");
        var truth = await http.GetFromJsonAsync<JsonElement>("control/v1/devices/gw-1");

        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal("normal", truth.GetProperty("mode").GetString());
        Assert.Equal("solid-green", truth.GetProperty("led").GetString());
        Assert.Equal("power-on", truth.GetProperty("resetReason").GetString());
        Assert.Equal("1.0.0", truth.GetProperty("slots")[0].GetProperty("version").GetString());
        Assert.Equal(64, truth.GetProperty("slots")[0].GetProperty("sha256").GetString()!.Length);
        Assert.Equal(0, truth.GetProperty("flashCount").GetInt32());
    }

    [Fact]
    public async Task PostFault_UnknownDeviceOrBadPercent_ProblemDetailsAndNothingArmed()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(TestFleet.Gateway("gw-1")));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var http = new HttpClient { BaseAddress = BaseUrl(app) };

        var unknown = await http.PostAsJsonAsync("control/v1/devices/nope/faults", new { kind = "power-loss", percent = 40 });
        var bad = await http.PostAsJsonAsync("control/v1/devices/gw-1/faults", new { kind = "power-loss", percent = 140 });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("percent", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(sim.Truth("gw-1").ArmedFaults);
    }

    [Fact]
    public async Task PostFleetFault_HalfTheFleet_ArmsExactlyThoseDevices()
    {
        await using var sim = await TestFleet.StartAsync(TestFleet.Of([.. Enumerable.Range(1, 10).Select(i => TestFleet.Gateway($"gw-{i}"))]));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var http = new HttpClient { BaseAddress = BaseUrl(app) };

        var response = await http.PostAsJsonAsync("control/v1/faults", new { fault = new { kind = "corrupt-bytes", count = 8 }, fraction = 0.5, seed = 7 });
        var chosen = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("devices").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(5, chosen.Count);
        Assert.All(sim.Devices, d => Assert.Equal(chosen.Contains(d.Id), d.Faults.CorruptByteCount == 8));
    }

    [Fact]
    public async Task TechnicianEndpoints_BrickedDeviceWithSdCardAndRecoveryButton_BootsTheCardImage()
    {
        var spec = TestFleet.Gateway("gw-brick", s => { s.Layout = FlashLayout.SingleWithRecovery; s.HasRecoveryPartition = false; });
        await using var sim = await TestFleet.StartAsync(TestFleet.Of(spec));
        await using var app = await SimulatorApp.StartAsync(sim);
        using var http = new HttpClient { BaseAddress = BaseUrl(app) };
        (await http.PostAsJsonAsync("control/v1/devices/gw-brick/faults", new { kind = "power-loss", percent = 50 })).EnsureSuccessStatusCode();
        var device = sim["gw-brick"];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => device.InstallAsync(SimulatedImage.Inspect(TestFleet.GatewayImage()), CancellationToken.None));
        await sim.WaitForAsync("gw-brick", t => t.Mode == DeviceMode.Bricked, TimeSpan.FromSeconds(15));

        var card = new ByteArrayContent(FactoryImages.Build("Acme", "GW-100", "1.0.2", "aarch64", "1.0"));
        (await http.PutAsync("technician/v1/devices/gw-brick/sd-card", card)).EnsureSuccessStatusCode();
        (await http.PostAsync("technician/v1/devices/gw-brick/recovery-button", null)).EnsureSuccessStatusCode();

        var truth = await sim.WaitForAsync("gw-brick", t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(15));
        Assert.Equal("1.0.2", truth.RunningVersion);
    }
}
