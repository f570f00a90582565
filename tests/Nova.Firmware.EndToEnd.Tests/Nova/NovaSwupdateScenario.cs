using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.EndToEnd.Tests.Swupdate;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// The Nova server on real Kestrel, one device in its inventory with a target token, and Debian's
/// SWUpdate client polling it as that device. Packages go in through the real import API.
/// </summary>
public sealed class NovaSwupdateScenario : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly TestDirectory _dir;
    private SwupdateProcess? _swupdate;

    private NovaSwupdateScenario(NovaServer server, TestDirectory dir, TestSigningKeys keys, Device device, string token)
    {
        Server = server;
        _dir = dir;
        Keys = keys;
        Device = device;
        Token = token;
    }

    public NovaServer Server { get; }
    public TestSigningKeys Keys { get; }
    public Device Device { get; }
    public string Token { get; }
    public string TargetPath => _dir.File("target.img");
    public SwupdateProcess Swupdate => _swupdate ?? throw new InvalidOperationException("Start SWUpdate first.");

    /// <param name="extraSettings">Server settings on top of the fast engine's (a test that runs other devices beside SWUpdate).</param>
    public static async Task<NovaSwupdateScenario> CreateAsync(string inventoryRevision = "1.0", Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        var dir = TestDirectory.Create();
        var keys = await TestSigningKeys.CreateAsync(dir.Sub("keys"));
        // The catalog trusts the same certificate file the device's SWUpdate gets with -k.
        var settings = new Dictionary<string, string>(NovaServer.FastEngine)
        {
            ["Nova:Packages:TrustedSignersFile"] = keys.CertificatePath,
            ["Nova:Packages:RequireSignedBundles"] = "true",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        var server = await NovaServer.StartKestrelAsync(configureServices: configureServices, settings: settings);
        var device = FleetBuilder.Gateway(revision: inventoryRevision);
        await server.AddDeviceAsync(device);
        using var admin = Admin(server);
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{device.Id}/ddi-token", new { });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return new NovaSwupdateScenario(server, dir, keys, device, token);
    }

    /// <summary>A bundle signed by the device's trusted signer, or by <paramref name="signer"/>.</summary>
    public SwuBundleBuilder Bundle(TestSigningKeys? signer = null) => new(signer ?? Keys, _dir.Sub("bundles"));

    /// <summary>A second signer, which neither the device nor the catalog trusts.</summary>
    public Task<TestSigningKeys> StrangerAsync() => TestSigningKeys.CreateAsync(_dir.Sub("stranger-keys"));

    /// <summary>Imports the bundle through the management API, as an operator would.</summary>
    public async Task<Guid> ImportAsync(SwuBundle bundle)
    {
        using var admin = Admin(Server);
        using var form = NovaApi.PackageForm(Device.Vendor, bundle.Version, Device.Model, null, Device.Soc, bundle.Content, bundle.FileName);
        var response = await admin.PostAsync("/api/v1/packages", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Import failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Stores a bundle the import API would refuse, straight into the store, to test the device's own
    /// check behind the catalog's (defence in depth). Returns the package id.
    /// </summary>
    public async Task<Guid> StoreBypassingImportAsync(SwuBundle bundle) =>
        (await Server.AddPackageAsync(bundle.Content, version: bundle.Version, model: Device.Model, revision: Device.HardwareRevision, soc: Device.Soc, fileName: bundle.FileName)).Id;

    /// <summary>The import API's answer for a bundle (status and problem title), without asserting success.</summary>
    public async Task<(int Status, string? Title)> TryImportAsync(SwuBundle bundle)
    {
        using var admin = Admin(Server);
        using var form = NovaApi.PackageForm(Device.Vendor, bundle.Version, Device.Model, null, Device.Soc, bundle.Content, bundle.FileName);
        using var response = await admin.PostAsync("/api/v1/packages", form);
        var body = await response.Content.ReadAsStringAsync();
        var title = body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        return ((int)response.StatusCode, title);
    }

    /// <summary>Starts SWUpdate as the device and waits until the server has seen it poll.</summary>
    public async Task StartDeviceAsync(string hardwareRevision = "1.0", IReadOnlyDictionary<string, string>? identify = null)
    {
        _swupdate = SwupdateProcess.Start(new SwupdateOptions
        {
            BaseUrl = Server.BaseAddress,
            ControllerId = Device.ControllerId,
            TargetToken = Token,
            CertificatePath = Keys.CertificatePath,
            WorkDirectory = _dir.Sub("swupdate"),
            HardwareRevision = hardwareRevision,
            Identify = identify,
        });
        await Eventually.GetAsync(() => DdiFixture.LastSeenAsync(Server, Device.Id), seen => seen is not null, StepTimeout, "SWUpdate's first poll");
    }

    public async Task<long> StartJobAsync(Guid packageId)
    {
        using var admin = Admin(Server);
        var response = await admin.PostAsJsonAsync($"/api/v1/devices/{Device.Id}/jobs", new { packageId });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public Task<JsonElement> JobInStatusAsync(long jobId, params string[] statuses) =>
        Eventually.GetAsync(() => JobAsync(jobId), j => statuses.Contains(j.GetProperty("status").GetString()), StepTimeout, $"job {jobId} to reach {string.Join("/", statuses)}");

    public async Task<JsonElement> JobAsync(long jobId)
    {
        using var admin = Admin(Server);
        return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
    }

    public async Task<JsonElement> PackageAsync(Guid packageId)
    {
        using var admin = Admin(Server);
        return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/packages/{packageId}");
    }

    public static IReadOnlyList<string> TimelineText(JsonElement job) =>
        job.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("message").GetString() + " " + (e.TryGetProperty("data", out var d) ? d.ToString() : "")).ToList();

    private static HttpClient Admin(NovaServer server) => NovaApi.Admin(server.BaseAddress);

    public async ValueTask DisposeAsync()
    {
        if (_swupdate is not null)
        {
            await _swupdate.DisposeAsync();
        }
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
