using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Jobs;

/// <summary>
/// Every way a camera's device job used to wedge: stuck queued with an exception every lease, a
/// cancel answered 202 that did nothing, a delete refused for good, a pre-flight dry run that
/// answered a bare 500. Each is now an answer a person can act on.
/// </summary>
public sealed class CameraJobWedgeTests
{
    /// <summary>A camera at an address where nothing listens: it never answers.</summary>
    private static Device Camera(string? address = "http://127.0.0.1:9/onvif/device_service", string site = "site-a")
    {
        var device = FleetBuilder.Gateway(model: "CAM-7", revision: "1.0", soc: "armv7");
        device.Kind = DeviceKind.Camera;
        device.Protocol = DeviceProtocol.Onvif;
        device.Address = address;
        device.Site = site;
        return device;
    }

    private static async Task<HttpResponseMessage> StartJobAsync(HttpClient admin, Guid deviceId, Guid packageId) =>
        await admin.PostAsJsonAsync($"/api/v1/devices/{deviceId}/jobs", new { packageId });

    private static Task<JsonElement> JobInStatusAsync(NovaServer server, long jobId, params string[] statuses) =>
        Eventually.GetAsync(async () =>
        {
            using var admin = server.CreateAdminClient();
            return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
        }, j => statuses.Contains(j.GetProperty("status").GetString()), TimeSpan.FromSeconds(30), $"job {jobId} to reach {string.Join("/", statuses)}");

    [Fact]
    public async Task CreateJob_CameraWithoutAnAddress_422NamingWhyAndNothingStored()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var camera = await server.AddDeviceAsync(Camera(address: null));
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(4096), model: "CAM-7", soc: "armv7", fileName: "cam.img");
        using var admin = server.CreateAdminClient();

        using var response = await StartJobAsync(admin, camera.Id, package.Id);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no ONVIF device service address", await response.Content.ReadAsStringAsync());
        // No job was stored: the device has nothing active and goes at once.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/devices/{camera.Id}")).StatusCode);
    }

    [Fact]
    public async Task CameraThatDoesNotAnswer_JobWaitsWithAReasonThenCancelEndsItAndDeleteWorks()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var camera = await server.AddDeviceAsync(Camera());
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(4096), model: "CAM-7", soc: "armv7", fileName: "cam.img");
        using var admin = server.CreateAdminClient();
        Assert.True((await admin.PutAsJsonAsync($"/api/v1/devices/{camera.Id}/credentials", new { username = "admin", password = "admin" })).IsSuccessStatusCode);
        using var created = await StartJobAsync(admin, camera.Id, package.Id);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var jobId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var waiting = await JobInStatusAsync(server, jobId, "waiting", "blocked", "failed");
        Assert.Equal("waiting", waiting.GetProperty("status").GetString());
        Assert.Contains("did not answer", waiting.GetProperty("statusReason").GetString());
        Assert.True(waiting.GetProperty("recheckAt").GetDateTimeOffset() > waiting.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"/api/v1/devices/{camera.Id}")).StatusCode);

        using var cancel = await admin.PostAsync($"/api/v1/jobs/{jobId}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var cancelled = await JobInStatusAsync(server, jobId, "cancelled");
        Assert.Contains("nothing was sent", cancelled.GetProperty("statusReason").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/devices/{camera.Id}")).StatusCode);
    }

    [Fact]
    public async Task CameraWithoutCredentials_BlockedNamingHowToSetThem()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var camera = await server.AddDeviceAsync(Camera());
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(4096), model: "CAM-7", soc: "armv7", fileName: "cam.img");
        using var admin = server.CreateAdminClient();
        using var created = await StartJobAsync(admin, camera.Id, package.Id);
        var jobId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var job = await JobInStatusAsync(server, jobId, "blocked", "failed", "succeeded");

        Assert.Equal("blocked", job.GetProperty("status").GetString());
        Assert.Equal("reachability", job.GetProperty("blockingCheck").GetString());
        Assert.Contains($"/api/v1/devices/{camera.Id}/credentials", job.GetProperty("statusReason").GetString());
    }

    [Fact]
    public async Task PreflightDryRun_SiteWithACameraAndAGateway_AVerdictForEachNot500()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var camera = await server.AddDeviceAsync(Camera());
        var gateway = FleetBuilder.Gateway(model: "CAM-7", revision: "1.0", soc: "armv7");
        gateway.Site = "site-a";
        await server.AddDeviceAsync(gateway);
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(4096), model: "CAM-7", soc: "armv7", fileName: "cam.img");
        using var admin = server.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync("/api/v1/preflight", new { packageId = package.Id, site = "site-a" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var devices = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(2, devices.Count);
        Assert.All(devices, d => Assert.Equal(6, d.GetProperty("checks").GetArrayLength()));
        // Neither was ever seen: both wait for their first contact instead of blocking for good.
        Assert.All(devices, d => Assert.Equal("wait", d.GetProperty("decision").GetString()));
        Assert.Contains(devices, d => d.GetProperty("deviceId").GetGuid() == camera.Id);
    }
}
