using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator.Faults;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// Cameras flashed by push over ONVIF, end to end: the server's engine and ONVIF driver against
/// simulated cameras over real HTTP, checked against what is really inside each camera.
/// </summary>
public sealed class OnvifCameraFlashTests
{
    [Theory(Timeout = 240_000)]
    [InlineData("Digest")]
    [InlineData("UsernameToken")]
    public async Task Flash_EachAuthMode_SucceedsOnceVerifiedOnTheNewVersion(string authMode)
    {
        await using var scenario = await CameraScenario.StartAsync([CameraScenario.Camera("cam-1")], new Dictionary<string, string> { ["Nova:Onvif:AuthMode"] = authMode });
        var deviceId = await scenario.EnrolAsync("cam-1");
        var package = await scenario.ImportImageAsync("3.1.0");

        var jobId = await scenario.StartJobAsync(deviceId, package);
        var job = await scenario.JobInStatusAsync(jobId, "succeeded", "failed", "blocked");

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var truth = scenario.Simulation["cam-1"].Truth();
        Assert.Equal("3.1.0", truth.RunningVersion);
        Assert.Equal(1, truth.FlashCount);
        // The camera's own log was kept as the pre-flash log before anything was sent.
        Assert.Contains("booted", job.GetProperty("preFlashSnapshot").GetProperty("log").GetString());
    }

    [Fact(Timeout = 240_000)]
    public async Task Flash_CameraRefusesTheImage_FailsWithTheCamerasWords()
    {
        await using var scenario = await CameraScenario.StartAsync([CameraScenario.Camera("cam-1")]);
        var deviceId = await scenario.EnrolAsync("cam-1");
        // The catalog entry says armv7, but the bytes are built for another SoC: the camera answers 415.
        var package = await scenario.ImportImageAsync("3.1.0", contentSoc: "aarch64");

        var jobId = await scenario.StartJobAsync(deviceId, package);
        var job = await scenario.JobInStatusAsync(jobId, "succeeded", "failed", "blocked");

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Contains("HTTP 415", job.GetProperty("statusReason").GetString());
        Assert.Equal("wrong-hardware", job.GetProperty("cause").GetString());
        var truth = scenario.Simulation["cam-1"].Truth();
        Assert.Equal("1.0.0", truth.RunningVersion);
        Assert.Equal(0, truth.FlashCount);
    }

    [Fact(Timeout = 240_000)]
    public async Task Flash_CameraNeverComesBackFromItsReboot_FailsUnreachable()
    {
        await using var scenario = await CameraScenario.StartAsync([CameraScenario.Camera("cam-1")],
            new Dictionary<string, string> { ["Nova:Engine:Deadlines:Reboot"] = "00:00:05" }, timeScale: 10);
        var deviceId = await scenario.EnrolAsync("cam-1");
        var package = await scenario.ImportImageAsync("3.1.0");

        var jobId = await scenario.StartJobAsync(deviceId, package);
        await scenario.JobInStatusAsync(jobId, "rebooting", "verifying", "succeeded", "failed");
        scenario.Simulation.InjectFault("cam-1", new FaultRequest(FaultKind.Unreachable));
        var job = await scenario.JobInStatusAsync(jobId, "succeeded", "failed");

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("unreachable", job.GetProperty("cause").GetString());
    }

    [Fact(Timeout = 240_000)]
    public async Task Flash_WrongCredentials_BlockedWithAClearReasonAndNothingSent()
    {
        await using var scenario = await CameraScenario.StartAsync([CameraScenario.Camera("cam-1")]);
        var deviceId = await scenario.EnrolAsync("cam-1", password: "not-the-password");
        var package = await scenario.ImportImageAsync("3.1.0");

        var jobId = await scenario.StartJobAsync(deviceId, package);
        var job = await scenario.JobInStatusAsync(jobId, "succeeded", "failed", "blocked");

        Assert.Equal("blocked", job.GetProperty("status").GetString());
        Assert.Equal("reachability", job.GetProperty("blockingCheck").GetString());
        Assert.Contains("credentials", job.GetProperty("statusReason").GetString());
        var truth = scenario.Simulation["cam-1"].Truth();
        Assert.Equal(0, truth.FlashCount);
        Assert.Equal("1.0.0", truth.RunningVersion);
    }

    [Fact(Timeout = 120_000)]
    public async Task Probe_IdleCamera_SeenAndHealthyWithoutAJob_UnreachableOneStaysUnseen()
    {
        await using var scenario = await CameraScenario.StartAsync([CameraScenario.Camera("cam-1"), CameraScenario.Camera("cam-2")],
            new Dictionary<string, string> { ["Nova:Engine:Health:ProbeInterval"] = "00:00:01" });
        scenario.Simulation.InjectFault("cam-2", new FaultRequest(FaultKind.Unreachable));
        var seen = await scenario.EnrolAsync("cam-1");
        var silent = await scenario.EnrolAsync("cam-2");
        using var admin = scenario.Server.CreateAdminClient();

        var health = await Eventually.GetAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{seen}"),
            d => d.GetProperty("health").GetProperty("lastSeenAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(30), "the probe to see cam-1");

        Assert.Equal("healthy", health.GetProperty("health").GetProperty("status").GetString());
        var other = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices/{silent}");
        Assert.Equal(JsonValueKind.Null, other.GetProperty("health").GetProperty("lastSeenAt").ValueKind);
    }
}
