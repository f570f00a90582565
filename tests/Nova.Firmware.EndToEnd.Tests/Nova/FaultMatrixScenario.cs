using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Simulator;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Recovery;
using Nova.Firmware.Simulator.Fleet;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// One Nova server (real Kestrel, its TFTP rescue server on a loopback port, short recovery-ladder
/// waits) and one simulated fleet (DDI gateways polling it, ONVIF cameras on the simulator's
/// listener, every device pointed at Nova's TFTP server), shared by all rows of the fault matrix.
/// </summary>
public sealed class FaultMatrixScenario : IAsyncDisposable
{
    /// <summary>20 simulated seconds per real second: a 5 s boot takes 0.25 s, the article's 10-minute wait 30 s.</summary>
    public const double TimeScale = 20;

    public const string GatewayVendor = "Acme", GatewayModel = "GW-100", GatewaySoc = "aarch64";
    public const string CameraVendor = "Optica", CameraModel = "CAM-7", CameraSoc = "armv7";
    public const string Revision = "1.0", OtherRevision = "2.0";
    public const string FactoryVersion = "1.0.0", StockVersion = "1.0.7", IntendedVersion = "2.0.0", MislabelledVersion = "2.0.1";

    /// <summary>The ladder's waits, in real time, short enough for a 2-core test run.</summary>
    public static IReadOnlyDictionary<string, string> LadderSettings(int tftpPort) => new Dictionary<string, string>(NovaServer.FastEngine)
    {
        ["Nova:Ddi:PollSleep"] = "00:00:05",
        ["Nova:Ddi:ActivePollSleep"] = "00:00:05",
        ["Nova:Engine:Deadlines:Reboot"] = "00:00:20",
        ["Nova:Engine:Deadlines:Transfer"] = "00:01:00",
        ["Nova:Engine:Deadlines:Flash"] = "00:00:40",
        ["Nova:Engine:Deadlines:CleanUp"] = "00:00:30",
        // Pre-flight defers a flash for this long after the device reported a power loss (1 h by default);
        // the ladder's re-attempt after a power loss waits for it like any job, so it is compressed with the ladder's waits.
        ["Nova:Engine:Preflight:PowerEventWindow"] = "00:00:10",
        ["Nova:Recovery:SelfRecoveryWait"] = "00:00:15",
        ["Nova:Recovery:RecoveryBootWait"] = "00:00:15",
        ["Nova:Recovery:ReflashWait"] = "00:00:20",
        ["Nova:Recovery:VerifyWait"] = "00:00:15",
        ["Nova:Recovery:CleanUpWait"] = "00:00:10",
        ["Nova:Recovery:RecheckInterval"] = "00:00:01",
        ["Nova:Recovery:TickInterval"] = "00:00:00.200",
        ["Nova:Recovery:ReattemptIntended"] = "true",
        ["Nova:Recovery:TftpServer"] = $"127.0.0.1:{tftpPort}",
        ["Nova:Tftp:Enabled"] = "true",
        ["Nova:Tftp:BindAddress"] = "127.0.0.1",
        ["Nova:Tftp:Port"] = tftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private FaultMatrixScenario(NovaServer server, Simulation simulation, WebApplication app, string tftp)
    {
        Server = server;
        Simulation = simulation;
        App = app;
        Tftp = tftp;
        SimulatorUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public NovaServer Server { get; }
    public Simulation Simulation { get; }
    public WebApplication App { get; }
    public Uri SimulatorUrl { get; }
    public string Tftp { get; }
    public Dictionary<string, Guid> Packages { get; } = [];
    public Dictionary<string, byte[]> StockImages { get; } = [];

    /// <summary>A fleet of the given devices; <paramref name="shape"/> gets the TFTP address to give them.</summary>
    public static async Task<FaultMatrixScenario> StartAsync(Func<string, (List<DeviceSpec> Devices, List<PoeSwitchSpec> Switches)> shape)
    {
        var tftpPort = FreeUdpPort();
        var server = await NovaServer.StartKestrelAsync(settings: LadderSettings(tftpPort));
        var tftp = $"127.0.0.1:{tftpPort}";
        var (devices, switches) = shape(tftp);
        var fleet = new FleetDefinition { TimeScale = TimeScale, TftpServer = tftp, Devices = devices, Switches = switches };
        fleet.Ddi.ServerUrl = server.BaseAddress;
        fleet.Ddi.RetryWaitSeconds = 1;
        var simulation = new Simulation(fleet, stockImageFetcher: new TftpStockImageFetcher());
        simulation.Start();
        var app = await SimulatorApp.StartAsync(simulation);
        return new FaultMatrixScenario(server, simulation, app, tftp);
    }

    public HttpClient Admin() => NovaApi.Admin(Server.BaseAddress);

    /// <summary>Imports the catalog: the intended update and the stock image of each model, the same update for another revision, and a mislabelled one.</summary>
    public async Task ImportCatalogAsync()
    {
        using var admin = Admin();
        foreach (var (vendor, model, soc, otherSoc) in new[] { (GatewayVendor, GatewayModel, GatewaySoc, CameraSoc), (CameraVendor, CameraModel, CameraSoc, GatewaySoc) })
        {
            var key = model;
            Packages[$"{key}/update"] = await ImportAsync(admin, vendor, model, Revision, soc, IntendedVersion, soc, "update", $"{model}-{IntendedVersion}.img");
            Packages[$"{key}/other-revision"] = await ImportAsync(admin, vendor, model, OtherRevision, soc, IntendedVersion, soc, "update", $"{model}-{IntendedVersion}-rev{OtherRevision}.img",
                imageRevision: OtherRevision);
            // The catalog entry says this model, revision and SoC; the bytes inside are built for another SoC.
            Packages[$"{key}/mislabelled"] = await ImportAsync(admin, vendor, model, Revision, soc, MislabelledVersion, otherSoc, "update", $"{model}-{MislabelledVersion}.img");
            Packages[$"{key}/stock"] = await ImportAsync(admin, vendor, model, Revision, soc, StockVersion, soc, "stock", $"{model}-{StockVersion}-stock.img", keep: key);
            // The vendor's bootable SD image, which technician tasks hand to devices with an SD slot.
            Packages[$"{key}/sd-recovery"] = await ImportAsync(admin, vendor, model, Revision, soc, StockVersion, soc, "sd-recovery", $"{model}-{StockVersion}-sd.img");
        }
    }

    private async Task<Guid> ImportAsync(HttpClient admin, string vendor, string model, string revision, string soc, string version, string contentSoc, string kind, string fileName,
        string? imageRevision = null, string? keep = null)
    {
        var image = SimulatedImage.Build(version, contentSoc, [imageRevision ?? revision], payloadBytes: 64 * 1024, vendor: vendor, model: model);
        if (keep is not null)
        {
            StockImages[keep] = image;
        }
        using var form = NovaApi.PackageForm(vendor, version, model, revision, soc, image, fileName, kind);
        var response = await admin.PostAsync("/api/v1/packages", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Import of {fileName} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>Enrols a simulated device as an operator would, with the capabilities it really has.</summary>
    public async Task<Guid> EnrolAsync(DeviceSpec spec, bool ddi)
    {
        using var admin = Admin();
        var capabilities = new
        {
            abSlots = spec.Layout == FlashLayout.AB,
            recoveryPartition = spec.HasRecoveryPartition,
            bootLoopRetry = spec.RetryFromStagedImage,
            sdSlot = spec.HasSdSlot,
            // Cameras have the vendor API's "reboot into recovery"; hawkBit DDI has no such command.
            remoteRecoveryTrigger = !ddi && spec.HasRecoveryPartition,
        };
        var response = await admin.PostAsJsonAsync("/api/v1/devices", new
        {
            controllerId = spec.Id, vendor = spec.Vendor, model = spec.Model, hardwareRevision = spec.HwRevision, soc = spec.Soc,
            serial = spec.Serial ?? spec.Id, kind = ddi ? "gateway" : "camera", protocol = ddi ? "ddi" : "onvif",
            // A gateway's address is its IP (what U-Boot's hex file name says); a camera's is its ONVIF service.
            address = ddi ? spec.IpAddress : new Uri(SimulatorUrl, $"onvif/{spec.Id}/device_service").ToString(),
            powerFeed = spec.PoeSwitch is { } sw ? new { switchId = sw, port = (int?)spec.PoePort } : null,
            firmware = new { activeVersion = spec.FirmwareVersion },
            capabilities,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Enrolling {spec.Id} failed: {(int)response.StatusCode} {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        if (ddi)
        {
            (await admin.PostAsJsonAsync($"/api/v1/devices/{id}/ddi-token", new { token = spec.DdiToken })).EnsureSuccessStatusCode();
        }
        else
        {
            var set = await admin.PutAsJsonAsync($"/api/v1/devices/{id}/credentials", new { username = spec.OnvifUsername, password = spec.OnvifPassword });
            Assert.True(set.IsSuccessStatusCode, $"Setting credentials failed: {(int)set.StatusCode} {await set.Content.ReadAsStringAsync()}");
        }
        return id;
    }

    /// <summary>The rungs a device's recovery runs went through, from the timeline entries of kind recovery ("recovery a → b: ...").</summary>
    public async Task<List<string>> RungPathAsync(Guid deviceId)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var messages = await db.Set<TimelineEntry>().AsNoTracking()
            .Where(e => e.DeviceId == deviceId && e.Kind == TimelineEntryKind.Recovery)
            .OrderBy(e => e.Id).Select(e => e.Message).ToListAsync();
        var path = new List<string>();
        foreach (var message in messages)
        {
            var m = System.Text.RegularExpressions.Regex.Match(message, @"^recovery (\S+) → (\S+):");
            if (!m.Success)
            {
                continue;
            }
            if (path.Count == 0 || path[^1] != m.Groups[1].Value)
            {
                path.Add(m.Groups[1].Value);
            }
            path.Add(m.Groups[2].Value);
        }
        return path;
    }

    private static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Simulation.DisposeAsync();
        await Server.DisposeAsync();
    }
}
