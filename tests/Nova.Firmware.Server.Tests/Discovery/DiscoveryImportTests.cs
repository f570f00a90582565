using System.Net;
using System.Net.Http.Json;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management.Discovery;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Discovery;

/// <summary>POST /discovery/onvif/import: what a probe found, into the inventory, all or nothing, on both databases.</summary>
public sealed class DiscoveryImportTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_ProbedCameras_InventoryListsThemAsOnvifCamerasWithTheirIdentity(DatabaseProvider provider)
    {
        await using var network = await CameraNetwork.StartAsync("cam-1", "cam-2");
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);
        var found = await DiscoverySteps.ProbeAsync(client, network.Probe(site));

        var result = await DiscoverySteps.ImportAsync(client, DiscoverySteps.ImportOf(found, site) with { Tags = ["discovered"] });

        Assert.Equal(["SN-cam-1", "SN-cam-2"], result.Imported.Select(i => i.ControllerId).Order());
        Assert.Empty(result.Existing);
        var devices = await DiscoverySteps.DevicesAsync(client, $"&site={site}&protocol=onvif");
        Assert.Equal(2, devices.Count);
        var cam1 = devices.Single(d => d.Serial == "SN-cam-1");
        Assert.Equal(result.Imported.Single(i => i.ControllerId == "SN-cam-1").DeviceId, cam1.Id);
        Assert.Equal(("camera", "onvif", "Optica", "CAM-7", "1.0", "armv7"), (cam1.Kind, cam1.Protocol, cam1.Vendor, cam1.Model, cam1.HardwareRevision, cam1.Soc));
        Assert.Equal(network.DeviceService("cam-1"), cam1.Address);
        Assert.Equal("1.0.0", cam1.Firmware.ActiveVersion);
        Assert.Equal(["discovered"], cam1.Tags);
        Assert.Equal("healthy", cam1.Health.Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_Again_ReportsTheExistingDevicesAndAddsNothing(DatabaseProvider provider)
    {
        await using var network = await CameraNetwork.StartAsync("cam-1", "cam-2");
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);
        var first = await DiscoverySteps.ImportAsync(client, DiscoverySteps.ImportOf(await DiscoverySteps.ProbeAsync(client, network.Probe(site)), site));

        var again = await DiscoverySteps.ProbeAsync(client, network.Probe(site));
        var second = await DiscoverySteps.ImportAsync(client, DiscoverySteps.ImportOf(again, site));
        // The same camera behind another address (a new lease, a new port) is recognised by its serial.
        await using var renumbered = await CameraNetwork.StartAsync("cam-1");
        var moved = await DiscoverySteps.ImportAsync(client, new OnvifImportRequest([new OnvifImportItem(renumbered.DeviceService("cam-1"))], site));

        Assert.Equal(first.Imported.Select(i => (Guid?)i.DeviceId).Order(), again.Select(d => d.AlreadyInInventory).Order());
        Assert.Empty(second.Imported);
        Assert.Equal(first.Imported.Select(i => i.DeviceId).Order(), second.Existing.Select(e => e.DeviceId).Order());
        Assert.All(second.Existing, e => Assert.Equal("address", e.MatchedBy));
        var movedCamera = Assert.Single(moved.Existing);
        Assert.Equal(("SN-cam-1", "controllerId"), (movedCamera.ControllerId, movedCamera.MatchedBy));
        Assert.Empty(moved.Imported);
        Assert.Equal(2, (await DiscoverySteps.DevicesAsync(client)).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_CameraThatCannotBeIdentified_422AndNothingStored(DatabaseProvider provider)
    {
        await using var network = await CameraNetwork.StartAsync(
            CameraNetwork.Camera("cam-1"), CameraNetwork.Camera("cam-2", s => s.OnvifPassword = "something-else"));
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);

        var response = await client.PostAsJsonAsync(DiscoverySteps.ImportPath, new OnvifImportRequest(
            [new OnvifImportItem(network.DeviceService("cam-1")), new OnvifImportItem(network.DeviceService("cam-2"))], site));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal((1, network.DeviceService("cam-2"), "xAddr"), (error.GetProperty("index").GetInt32(), error.GetProperty("xAddr").GetString(), error.GetProperty("field").GetString()));
        Assert.Empty(await DiscoverySteps.DevicesAsync(client));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_TwoCamerasGivenOneControllerId_409NamingItAndNothingStored(DatabaseProvider provider)
    {
        await using var network = await CameraNetwork.StartAsync("cam-1", "cam-2");
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);

        var response = await client.PostAsJsonAsync(DiscoverySteps.ImportPath, new OnvifImportRequest(
            [new OnvifImportItem(network.DeviceService("cam-1"), ControllerId: "gate"), new OnvifImportItem(network.DeviceService("cam-2"), ControllerId: "gate")], site));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("'gate'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await DiscoverySteps.DevicesAsync(client));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_OperatorValues_WinOverWhatTheCameraSays(DatabaseProvider provider)
    {
        await using var network = await CameraNetwork.StartAsync(CameraNetwork.Camera("cam-1", s => s.Soc = "not a/soc/shape"));
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = await DiscoverySteps.SiteWithCredentialsAsync(client);
        var item = new OnvifImportItem(network.DeviceService("cam-1"), HardwareRevision: "B2", ControllerId: "gate-west", Name: "Gate west");

        var result = await DiscoverySteps.ImportAsync(client, new OnvifImportRequest([item], site));

        var device = Assert.Single(await DiscoverySteps.DevicesAsync(client));
        Assert.Equal(("gate-west", "Gate west", "B2", "unknown", "SN-cam-1"), (device.ControllerId, device.Name, device.HardwareRevision, device.Soc, device.Serial));
        Assert.Equal(device.Id, Assert.Single(result.Imported).DeviceId);
    }

    public static TheoryData<DatabaseProvider, string, string> BadImports()
    {
        var data = new TheoryData<DatabaseProvider, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, """{"devices":[]}""", "devices");
            data.Add(provider, """{}""", "devices");
            data.Add(provider, """{"devices":[{"xAddr":"http://camera.example/onvif/device_service"}]}""", "devices[0].xAddr");
            data.Add(provider, """{"devices":[{"xAddr":"http://127.0.0.1:1/onvif/device_service"},{"xAddr":"ftp://127.0.0.1/x"}]}""", "devices[1].xAddr");
            data.Add(provider, """{"devices":[{"xAddr":"http://127.0.0.1:1/onvif/device_service","site":"a\nb"}]}""", "devices[0].site");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadImports))]
    public async Task Import_BadInput_400NamingTheFieldAndNothingStored(DatabaseProvider provider, string body, string field)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();

        var response = await client.PostAsync(DiscoverySteps.ImportPath, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var errors = await ProblemAssert.IsValidationProblemAsync(response);
        Assert.Equal([field], errors.Keys);
        Assert.Empty(await DiscoverySteps.DevicesAsync(client));
    }
}
