using System.Net;
using System.Net.Http.Json;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Devices;

public sealed class DeviceEndpointsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Crud_ValidDevice_CreatesReadsReplacesAndDeletes(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var request = DeviceRequestBuilder.Camera(DeviceRequestBuilder.UniqueSite(), "lobby", "north") with
        {
            Health = new HealthRequestWire("healthy", DateTimeOffset.Parse("2026-05-01T10:00:00+02:00")),
        };

        var created = await client.PostAsJsonAsync("/api/v1/devices", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var device = (await created.Content.ReadFromJsonAsync<DeviceResponse>())!;
        Assert.Equal($"/api/v1/devices/{device.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(request.Serial, device.ControllerId); // defaults to the serial
        Assert.Equal("camera", device.Kind);
        Assert.Equal("ddi", device.Protocol);
        Assert.Equal(["lobby", "north"], device.Tags);
        Assert.Equal(new PowerFeedWire("poe-sw-1", 7), device.PowerFeed);
        Assert.Equal(new StorageWire(512L * 1024 * 1024, 200L * 1024 * 1024), device.Storage);
        Assert.Equal(DateTimeOffset.Parse("2026-05-01T08:00:00Z"), device.Health.LastSeenAt);
        Assert.Equal("healthy", device.Health.Status);
        Assert.True(device.Capabilities.AbSlots);

        var read = await client.GetFromJsonAsync<DeviceResponse>($"/api/v1/devices/{device.Id}");
        Assert.Equal(device.ControllerId, read!.ControllerId);
        Assert.Equal(device.Firmware, read.Firmware);
        Assert.Equal(device.Tags, read.Tags);

        var replacement = request with { ControllerId = "ctl-renamed-" + device.Id, Firmware = new FirmwareWire("4.3.0", "4.2.1"), Tags = ["south"] };
        var replaced = await client.PutAsJsonAsync($"/api/v1/devices/{device.Id}", replacement);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var afterPut = await client.GetFromJsonAsync<DeviceResponse>($"/api/v1/devices/{device.Id}");
        Assert.Equal("ctl-renamed-" + device.Id, afterPut!.ControllerId);
        Assert.Equal("4.3.0", afterPut.Firmware.ActiveVersion);
        Assert.Equal(["south"], afterPut.Tags);
        Assert.Equal(read.CreatedAt, afterPut.CreatedAt);
        Assert.True(afterPut.UpdatedAt >= read.UpdatedAt);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/devices/{device.Id}")).StatusCode);
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/v1/devices/{device.Id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync($"/api/v1/devices/{device.Id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Create_DuplicateControllerId_Returns409AndKeepsTheFirst(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        var first = DeviceRequestBuilder.Camera(site) with { ControllerId = "cam-dup-1" };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/devices", first)).StatusCode);

        var second = DeviceRequestBuilder.Camera(site) with { ControllerId = "cam-dup-1" };
        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/v1/devices", second), HttpStatusCode.Conflict);
        Assert.Contains("cam-dup-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var page = await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}");
        Assert.Equal(first.Serial, Assert.Single(page!.Items).Serial);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Replace_ControllerIdOfAnotherDevice_Returns409(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var a = DeviceRequestBuilder.Camera() with { ControllerId = "ctl-a" };
        var b = DeviceRequestBuilder.Camera() with { ControllerId = "ctl-b" };
        await client.PostAsJsonAsync("/api/v1/devices", a);
        var created = await (await client.PostAsJsonAsync("/api/v1/devices", b)).Content.ReadFromJsonAsync<DeviceResponse>();

        var response = await client.PutAsJsonAsync($"/api/v1/devices/{created!.Id}", b with { ControllerId = "ctl-a" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("ctl-b", (await client.GetFromJsonAsync<DeviceResponse>($"/api/v1/devices/{created.Id}"))!.ControllerId);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task List_Filters_ReturnOnlyMatchingDevices(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        var tag = "tag-" + Guid.NewGuid().ToString("N")[..8];
        var camera = DeviceRequestBuilder.Camera(site, tag) with { Name = "Gate Camera West" };
        var nvr = DeviceRequestBuilder.Camera(site) with { Kind = "nvr", Model = "NV-16", Vendor = "Vault", Protocol = "onvif", Health = new HealthRequestWire("offline", null) };
        var otherSite = DeviceRequestBuilder.Camera(DeviceRequestBuilder.UniqueSite(), tag);
        foreach (var request in new[] { camera, nvr, otherSite })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/devices", request)).StatusCode);
        }

        string[] Serials(params DeviceRequest[] devices) => devices.Select(d => d.Serial!).Order().ToArray();
        async Task<string[]> SerialsAsync(string query) =>
            (await client.GetFromJsonAsync<Paged<DeviceResponse>>("/api/v1/devices?" + query))!.Items.Select(d => d.Serial).Order().ToArray();

        Assert.Equal(Serials(camera, nvr), await SerialsAsync($"site={site}"));
        Assert.Equal(Serials(camera, otherSite), await SerialsAsync($"tag={tag}"));
        Assert.Equal(Serials(camera), await SerialsAsync($"site={site}&tag={tag}"));
        Assert.Equal(Serials(nvr), await SerialsAsync($"site={site}&kind=nvr"));
        Assert.Equal(Serials(nvr), await SerialsAsync($"site={site}&protocol=onvif"));
        Assert.Equal(Serials(nvr), await SerialsAsync($"site={site}&health=offline"));
        Assert.Equal(Serials(nvr), await SerialsAsync($"site={site}&model=NV-16&vendor=Vault"));
        Assert.Equal(Serials(camera), await SerialsAsync($"site={site}&q=gate camera"));
        Assert.Equal(Serials(camera), await SerialsAsync($"q={camera.Serial!.ToLowerInvariant()}"));
        Assert.Empty(await SerialsAsync($"site={site}&kind=gateway"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task List_Paging_ReturnsEveryDeviceOnceInControllerIdOrder(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        var ids = new List<string>();
        foreach (var n in new[] { 5, 2, 7, 1, 4, 6, 3 })
        {
            var request = DeviceRequestBuilder.Camera(site) with { ControllerId = $"{site}-{n}" };
            ids.Add(request.ControllerId!);
            await client.PostAsJsonAsync("/api/v1/devices", request);
        }

        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var result = await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}&page={page}&pageSize=3");
            Assert.Equal(7, result!.Total);
            Assert.Equal(page, result.Page);
            Assert.Equal(3, result.PageSize);
            Assert.Equal(page < 3 ? 3 : 1, result.Items.Count);
            seen.AddRange(result.Items.Select(d => d.ControllerId));
        }
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        var beyond = await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}&page=4&pageSize=3");
        Assert.Empty(beyond!.Items);
        Assert.Equal(7, beyond.Total);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task List_SortedByNameDescending_PagesInThatOrderWithControllerIdBreakingTies(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        // Two devices share a name: the controller id decides between them, so pages stay stable.
        foreach (var (n, name) in new[] { (1, "beta"), (2, "alpha"), (3, "gamma"), (4, "beta"), (5, "delta") })
        {
            var created = await client.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera(site) with { ControllerId = $"{site}-{n}", Name = name });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var result = await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}&sort=-name&page={page}&pageSize=2");
            seen.AddRange(result!.Items.Select(d => $"{d.Name}/{d.ControllerId[(site.Length + 1)..]}"));
        }

        Assert.Equal(["gamma/3", "delta/5", "beta/1", "beta/4", "alpha/2"], seen);
    }

    [Fact]
    public async Task Create_InvalidFields_ReturnsFieldLevelErrorsAndStoresNothing()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        var request = DeviceRequestBuilder.Camera(site) with
        {
            Vendor = " ",
            Kind = "toaster",
            Protocol = null,
            PowerFeed = new PowerFeedWire("sw", 0),
            Storage = new StorageWire(100, 200),
            Health = new HealthRequestWire("sleepy", null),
        };

        var errors = await ProblemAssert.IsValidationProblemAsync(await client.PostAsJsonAsync("/api/v1/devices", request));

        Assert.Equal(new[] { "vendor", "kind", "protocol", "powerFeed.port", "storage.freeBytes", "health.status" }.Order(), errors.Keys.Order());
        Assert.Contains("camera", errors["kind"][0], StringComparison.Ordinal);
        var page = await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}");
        Assert.Equal(0, page!.Total);
    }

    [Fact]
    public async Task Create_NegativeSizes_ReturnsErrorsForBoth()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var errors = await ProblemAssert.IsValidationProblemAsync(await client.PostAsJsonAsync("/api/v1/devices",
            DeviceRequestBuilder.Camera() with { Storage = new StorageWire(-1, -5) }));

        Assert.Contains("storage.totalBytes", errors.Keys);
        Assert.Contains("storage.freeBytes", errors.Keys);
    }

    [Theory]
    [InlineData("kind=toaster", "kind")]
    [InlineData("health=asleep", "health")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("sort=colour", "sort")]
    [InlineData("sort=--name", "sort")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var errors = await ProblemAssert.IsValidationProblemAsync(await client.GetAsync("/api/v1/devices?" + query));

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public async Task Create_AsViewer_Returns403AndViewerCanStillRead()
    {
        await using var server = await NovaServer.StartAsync();
        var (viewer, _) = await server.CreateUserClientAsync("viewer");
        using var _viewer = viewer;

        await ProblemAssert.IsProblemAsync(await viewer.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera()), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/devices")).StatusCode);
    }

    [Fact]
    public async Task Create_AsOperator_Succeeds()
    {
        await using var server = await NovaServer.StartAsync();
        var (operatorClient, _) = await server.CreateUserClientAsync("operator");
        using var _operator = operatorClient;

        Assert.Equal(HttpStatusCode.Created, (await operatorClient.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera())).StatusCode);
    }
}
