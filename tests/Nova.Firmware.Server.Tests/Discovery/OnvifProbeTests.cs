using System.Net;
using System.Net.Http.Json;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Endpoints.Management.Discovery;
using Nova.Firmware.Server.Tests.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Discovery;

/// <summary>POST /discovery/onvif against simulated cameras probed by unicast on loopback.</summary>
public sealed class OnvifProbeTests
{
    [Fact]
    public async Task Probe_SiteWithCredentials_ListsEachCameraWithItsOnvifIdentity()
    {
        await using var network = await CameraNetwork.StartAsync("cam-1", "cam-2");
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);

        var found = await DiscoverySteps.ProbeAsync(client, network.Probe(site));

        Assert.Equal([network.DeviceService("cam-1"), network.DeviceService("cam-2")], found.Select(d => Assert.Single(d.XAddrs)));
        var first = found[0];
        Assert.StartsWith("urn:uuid:", first.EndpointReference, StringComparison.Ordinal);
        Assert.Equal(["Optica_cam-1"], first.Scopes.Names);
        Assert.Equal(["CAM-7"], first.Scopes.Hardware);
        Assert.Equal(("Optica", "CAM-7", "1.0.0", "SN-cam-1", "1.0/armv7"), (first.Manufacturer, first.Model, first.FirmwareVersion, first.SerialNumber, first.HardwareId));
        Assert.Equal("SN-cam-2", found[1].SerialNumber);
        Assert.All(found, d => Assert.Null(d.IdentifyError));
        Assert.All(found, d => Assert.Null(d.AlreadyInInventory));
    }

    [Fact]
    public async Task Probe_OneCameraRefusesTheCredentials_OthersStillIdentified()
    {
        await using var network = await CameraNetwork.StartAsync(
            CameraNetwork.Camera("cam-1"), CameraNetwork.Camera("cam-2", s => s.OnvifPassword = "something-else"));
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);

        var found = await DiscoverySteps.ProbeAsync(client, network.Probe(site));

        Assert.Equal(2, found.Count);
        Assert.Equal("SN-cam-1", found[0].SerialNumber);
        Assert.Null(found[1].SerialNumber);
        Assert.Contains("authentication failed", found[1].IdentifyError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Probe_SiteWithoutCredentials_SaysSoInsteadOfGuessing()
    {
        await using var network = await CameraNetwork.StartAsync("cam-1");
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var withoutCredentials = Assert.Single(await DiscoverySteps.ProbeAsync(client, network.Probe("nowhere")));
        var withoutSite = Assert.Single(await DiscoverySteps.ProbeAsync(client, network.Probe(site: null)));
        var notAsked = Assert.Single(await DiscoverySteps.ProbeAsync(client, network.Probe("nowhere", identify: false)));

        Assert.Equal("no credentials for site nowhere", withoutCredentials.IdentifyError);
        Assert.Null(withoutCredentials.Manufacturer);
        Assert.NotNull(withoutSite.IdentifyError);
        Assert.Null(notAsked.IdentifyError);
        Assert.Null(notAsked.Manufacturer);
        Assert.Equal(["CAM-7"], notAsked.Scopes.Hardware);
    }

    [Fact]
    public async Task Probe_UnreachableCamera_NotListed()
    {
        await using var network = await CameraNetwork.StartAsync("cam-1", "cam-2");
        network.Unplug("cam-2");
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var found = await DiscoverySteps.ProbeAsync(client, network.Probe(site: null, identify: false));

        Assert.Equal(network.DeviceService("cam-1"), Assert.Single(Assert.Single(found).XAddrs));
    }

    [Fact]
    public async Task Probe_CameraAlreadyInInventory_NamesTheDevice()
    {
        await using var network = await CameraNetwork.StartAsync("cam-1", "cam-2");
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);
        // One by its address, one by its serial (the controllerId an import would give it) at an old address.
        var byAddress = await CreateAsync(client, DeviceRequestBuilder.Camera() with { ControllerId = "lobby", Protocol = "onvif", Address = network.DeviceService("cam-1") });
        var bySerial = await CreateAsync(client, DeviceRequestBuilder.Camera() with { ControllerId = "SN-cam-2", Protocol = "onvif", Address = "http://192.0.2.9/onvif/device_service" });

        var found = await DiscoverySteps.ProbeAsync(client, network.Probe(site));

        Assert.Equal([byAddress.Id, bySerial.Id], found.Select(d => d.AlreadyInInventory));
    }

    public static TheoryData<string, string> BadProbes => new()
    {
        { """{"unicast":["camera.example:3702"],"multicast":false}""", "unicast[0]" },
        { """{"unicast":["127.0.0.1:3702","10.0.0.1:99999"],"multicast":false}""", "unicast[1]" },
        { """{"unicast":["127.1"],"multicast":false}""", "unicast[0]" },
        { """{"unicast":["239.255.255.250:3702"],"multicast":false}""", "unicast[0]" },
        { """{"unicast":["[::1]:3702"],"multicast":false}""", "unicast[0]" },
        { """{"unicast":[],"multicast":false}""", "unicast" },
        { """{"unicast":["127.0.0.1"],"multicast":false,"timeoutSeconds":0}""", "timeoutSeconds" },
        { """{"unicast":["127.0.0.1"],"multicast":false,"timeoutSeconds":31}""", "timeoutSeconds" },
    };

    [Theory]
    [MemberData(nameof(BadProbes))]
    public async Task Probe_BadInput_400NamingTheField(string body, string field)
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var response = await client.PostAsync(DiscoverySteps.ProbePath, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var errors = await ProblemAssert.IsValidationProblemAsync(response);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public async Task ProbeAndImport_Viewer_Forbidden()
    {
        await using var server = await NovaServer.StartAsync();
        using var viewer = (await server.CreateUserClientAsync("viewer")).Client;

        var probe = await viewer.PostAsJsonAsync(DiscoverySteps.ProbePath, new OnvifProbeRequest(["127.0.0.1"], Multicast: false, TimeoutSeconds: 1));
        var import = await viewer.PostAsJsonAsync(DiscoverySteps.ImportPath, new OnvifImportRequest([new OnvifImportItem("http://127.0.0.1:1/onvif/device_service")]));

        await ProblemAssert.IsProblemAsync(probe, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(import, HttpStatusCode.Forbidden);
    }

    private static async Task<DeviceResponse> CreateAsync(HttpClient client, DeviceRequest request)
    {
        var response = await client.PostAsJsonAsync("/api/v1/devices", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeviceResponse>())!;
    }
}
