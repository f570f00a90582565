using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Diagnosis;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Drivers.Onvif;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Rma;

public sealed class RmaBundleEndpointTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Stores what a device that went through two flashes would have: jobs, snapshots, a timeline, its last report.</summary>
    private static async Task<(DeviceJob Succeeded, DeviceJob Failed)> AddHistoryAsync(NovaServer server, Device device)
    {
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(1024), version: "2.0.0");
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
        var report = new DeviceReport { DeviceId = device.Id, ReportedAt = T0, BootMode = "boot-loop", ResetReason = "power-loss", AttributesJson = """{"hwRevision":"1.0"}""" };
        DeviceJob Job(DeviceJobStatus status, int hour, string log) => new()
        {
            DeviceId = device.Id, PackageId = package.Id, Status = status, TargetVersion = "2.0.0", PreviousVersion = "1.0.0", CreatedBy = "admin",
            CreatedAt = T0.AddHours(hour), UpdatedAt = T0.AddHours(hour).AddMinutes(3), StepStartedAt = T0.AddHours(hour), NextActionAt = T0.AddHours(hour),
            PreFlashSnapshot = PreFlashSnapshot.Capture(device, report, DriverResult.Done(log), T0.AddHours(hour)),
        };
        var succeeded = Job(DeviceJobStatus.Succeeded, 1, "first flash log");
        var failed = Job(DeviceJobStatus.Failed, 2, "second flash log");
        failed.Cause = FailureCause.PowerLoss;
        failed.StatusReason = "The device went silent mid-flash and came back with reset reason power-loss.";
        db.AddRange(report, succeeded, failed);
        await db.SaveChangesAsync();
        db.AddRange(
            new TimelineEntry { DeviceId = device.Id, JobId = succeeded.Id, At = T0.AddHours(1), Kind = TimelineEntryKind.Transition, Message = "Succeeded." },
            new TimelineEntry { DeviceId = device.Id, JobId = failed.Id, At = T0.AddHours(2), Kind = TimelineEntryKind.Feedback, Message = "proceeding: Installing", Data = """{"details":["Installing"]}""" },
            new TimelineEntry { DeviceId = device.Id, JobId = failed.Id, At = T0.AddHours(2).AddMinutes(1), Kind = TimelineEntryKind.Power, Message = "The device came back with reset reason 'power-loss'." },
            new TimelineEntry { DeviceId = device.Id, At = T0.AddHours(3), Kind = TimelineEntryKind.Telemetry, Message = "Reported version 1.0.0" });
        await db.SaveChangesAsync();
        return (succeeded, failed);
    }

    private static async Task<RmaBundleReader> DownloadAsync(HttpClient client, Guid deviceId, string controllerId)
    {
        using var response = await client.GetAsync($"/api/v1/devices/{deviceId}/rma-bundle");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches($"^attachment; filename=\"rma-{controllerId}-\\d{{8}}T\\d{{6}}Z\\.zip\"$", response.Content.Headers.GetValues("Content-Disposition").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var bundle = new RmaBundleReader(await response.Content.ReadAsByteArrayAsync());
        bundle.AssertManifestMatches();
        return bundle;
    }

    [Fact]
    public async Task Download_GatewayWithJobsAndTimeline_EveryPartFromTheStore()
    {
        await using var server = await NovaServer.StartAsync();
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway("gw-rma-1"));
        var (succeeded, failed) = await AddHistoryAsync(server, device);
        var (viewer, _) = await server.CreateUserClientAsync("viewer");

        var bundle = await DownloadAsync(viewer, device.Id, "gw-rma-1");

        Assert.Equal(device.Serial, bundle.Json("identity.json").GetProperty("device").GetProperty("serial").GetString());
        Assert.Equal("boot-loop", bundle.Json("identity.json").GetProperty("lastReport").GetProperty("bootMode").GetString());
        var history = bundle.Text("firmware-history.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, history.Length);
        Assert.StartsWith($"{succeeded.Id},", history[1]);
        Assert.Contains(",Acme,2.0.0,update.swu,1.0.0,2.0.0,failed,power-loss,,", history[2]);
        Assert.Contains("second flash log", bundle.Text("pre-flash-log.txt"));
        Assert.Contains("first flash log", bundle.Text($"pre-flash/{succeeded.Id}.txt"));
        Assert.Equal(4, bundle.Json("timeline.json").GetArrayLength());
        Assert.Contains("Reported version 1.0.0", bundle.Text("timeline.txt"));
        var diagnosis = bundle.Json("diagnosis.json").GetProperty("failedJob");
        Assert.Equal(failed.Id, diagnosis.GetProperty("id").GetInt64());
        Assert.Equal("power-loss", diagnosis.GetProperty("cause").GetString());
        Assert.Equal("http://localhost/articles/firmware-flash-failed#if-power-was-lost", diagnosis.GetProperty("articleUrl").GetString());
        Assert.Equal(2, diagnosis.GetProperty("evidence").GetArrayLength());
        // DDI has no log upload: the bundle says so instead of a log.
        Assert.Contains("could not be read (not-supported): hawkBit DDI has no log upload", bundle.Text("system-log.txt"));
        Assert.Equal("viewer", bundle.Manifest.GetProperty("generatedBy").GetString()![..6]);
        Assert.DoesNotContain(bundle.ListedPaths, p => p.StartsWith("photos/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Download_CameraThatCannotBeReached_BundleWithTheDriversReason()
    {
        await using var server = await NovaServer.StartAsync();
        var camera = FleetBuilder.Gateway("cam-rma-1", model: "CAM-7", soc: "armv7");
        camera.Kind = DeviceKind.Camera;
        camera.Protocol = DeviceProtocol.Onvif;
        camera.Address = "http://127.0.0.1:9/onvif/device_service"; // nothing listens there
        await server.AddDeviceAsync(camera);
        using var admin = server.CreateAdminClient();
        Assert.True((await admin.PutAsJsonAsync($"/api/v1/devices/{camera.Id}/credentials", new { username = "admin", password = "admin-password" })).IsSuccessStatusCode);

        var bundle = await DownloadAsync(admin, camera.Id, "cam-rma-1");

        var systemLog = bundle.Text("system-log.txt");
        Assert.Contains("through its onvif driver", systemLog);
        Assert.Contains("could not be read (unreachable)", systemLog);
        Assert.StartsWith("No pre-flash log was captured", bundle.Text("pre-flash-log.txt"));
    }

    [Fact]
    public async Task Download_DriverThatNeverAnswers_BundleAfterTheTimeout()
    {
        await using var server = await NovaServer.StartAsync(
            configureServices: s =>
            {
                s.Remove(s.Single(d => d.ServiceType == typeof(IDeviceDriver) && d.ImplementationType == typeof(OnvifDriver)));
                s.AddSingleton<IDeviceDriver, SilentCameraDriver>();
            },
            settings: new Dictionary<string, string> { ["Nova:Rma:SystemLogTimeout"] = "00:00:00.500" });
        var camera = FleetBuilder.Gateway("cam-rma-2", model: "CAM-7", soc: "armv7");
        camera.Kind = DeviceKind.Camera;
        camera.Protocol = DeviceProtocol.Onvif;
        camera.Address = "http://127.0.0.1:9/onvif/device_service";
        await server.AddDeviceAsync(camera);
        using var admin = server.CreateAdminClient();

        var started = TimeProvider.System.GetTimestamp();
        var bundle = await DownloadAsync(admin, camera.Id, "cam-rma-2");

        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(20));
        Assert.Contains("could not be read (unreachable): The device did not hand over its log within 0.5 s.", bundle.Text("system-log.txt"));
    }

    [Fact]
    public async Task Download_UnknownDevice_404Problem()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();

        var problem = await ProblemAssert.IsProblemAsync(await admin.GetAsync($"/api/v1/devices/{Guid.NewGuid()}/rma-bundle"), HttpStatusCode.NotFound);

        Assert.Equal("Device not found", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Download_WithoutCredentials_401()
    {
        await using var server = await NovaServer.StartAsync();
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway());
        using var anonymous = server.CreateClient();

        using var response = await anonymous.GetAsync($"/api/v1/devices/{device.Id}/rma-bundle");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>An ONVIF driver whose camera takes every call and never answers.</summary>
    private sealed class SilentCameraDriver : IDeviceDriver
    {
        public DeviceProtocol Protocol => DeviceProtocol.Onvif;
        public DriverDelivery Delivery => DriverDelivery.Push;
        public string? CannotFlash(Device device) => null;
        public bool CanCleanUp(Device device) => false;
        public Task<DriverResult<DeviceReading>> IdentifyAsync(Device device, CancellationToken cancellationToken) => Never<DriverResult<DeviceReading>>(cancellationToken);
        public Task<DriverResult<DeviceReading>> ReadTelemetryAsync(Device device, CancellationToken cancellationToken) => Never<DriverResult<DeviceReading>>(cancellationToken);
        public Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken) => Never<DriverResult>(cancellationToken);
        public Task<DriverResult> TransferAndFlashAsync(DriverContext context, CancellationToken cancellationToken) => Never<DriverResult>(cancellationToken);
        public Task FollowAsync(DriverContext context, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<DriverResult> RebootAsync(Device device, CancellationToken cancellationToken) => Never<DriverResult>(cancellationToken);
        public Task<DriverResult> ReadLogsAsync(Device device, CancellationToken cancellationToken) => Never<DriverResult>(cancellationToken);
        public Task<DriverResult> TriggerRecoveryAsync(Device device, CancellationToken cancellationToken) => Never<DriverResult>(cancellationToken);
        public JobSignal? Interpret(TimelineEntry observation) => null;

        private static async Task<T> Never<T>(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
