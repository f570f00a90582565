using System.Net;
using System.Net.Http.Json;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Endpoints.Management.Discovery;
using Nova.Firmware.Server.Tests.Credentials;
using Nova.Firmware.Server.Tests.Devices;

namespace Nova.Firmware.Server.Tests.Discovery;

/// <summary>Steps the discovery tests share, through the API as an operator would take them.</summary>
public static class DiscoverySteps
{
    public const string ProbePath = "/api/v1/discovery/onvif";
    public const string ImportPath = "/api/v1/discovery/onvif/import";

    /// <summary>A fresh site whose camera credentials are the simulated cameras' (admin/admin).</summary>
    public static async Task<string> SiteWithCredentialsAsync(HttpClient client)
    {
        var site = DeviceRequestBuilder.UniqueSite();
        await CredentialSteps.PutAsync(client, $"/api/v1/sites/{site}/credentials", "admin", "admin");
        return site;
    }

    public static async Task<List<DiscoveredCameraWire>> ProbeAsync(HttpClient client, OnvifProbeRequest request)
    {
        var response = await client.PostAsJsonAsync(ProbePath, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<OnvifProbeResponse>())!.Devices.OrderBy(d => d.XAddrs[0], StringComparer.Ordinal)];
    }

    public static async Task<OnvifImportResponse> ImportAsync(HttpClient client, OnvifImportRequest request)
    {
        var response = await client.PostAsJsonAsync(ImportPath, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OnvifImportResponse>())!;
    }

    /// <summary>What a probe found, as the import takes it: each camera's first device service address.</summary>
    public static OnvifImportRequest ImportOf(IEnumerable<DiscoveredCameraWire> found, string? site) =>
        new([.. found.Select(d => new OnvifImportItem(d.XAddrs[0]))], site);

    public static async Task<List<DeviceResponse>> DevicesAsync(HttpClient client, string query = "") =>
        [.. (await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?pageSize=500{query}"))!.Items];
}
