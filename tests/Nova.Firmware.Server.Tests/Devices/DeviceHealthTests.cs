using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Engine.Health;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Ddi;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Devices;

/// <summary>
/// Health in the inventory: the sweep marks silent devices offline, a device heard again comes back,
/// and the list filters by health. The clock is fake; the sweep and the flusher are run by hand.
/// </summary>
public sealed class DeviceHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    // DDI: 1-minute polls, 3 may be missed; ONVIF: 5 minutes. Background passes kept out of the way.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Nova:Ddi:PollSleep"] = "00:01:00",
        ["Nova:Ddi:LastSeenFlushInterval"] = "01:00:00",
        ["Nova:Engine:Health:SweepInterval"] = "01:00:00",
        ["Nova:Engine:Health:DdiMissedPolls"] = "3",
        ["Nova:Engine:Health:OnvifProbeAllowance"] = "00:05:00",
    };

    private static async Task<(NovaServer Server, FakeTimeProvider Clock)> StartAsync(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(T0);
        return (await NovaServer.StartAsync(provider, s => s.AddSingleton<TimeProvider>(clock), Settings), clock);
    }

    private static Device Seen(string site, DeviceProtocol protocol, DateTimeOffset? lastSeen, HealthStatus status = HealthStatus.Healthy)
    {
        var device = FleetBuilder.Gateway();
        device.Site = site;
        device.Protocol = protocol;
        device.Health = new DeviceHealth { Status = status, LastSeenAt = lastSeen };
        return device;
    }

    private static Task<int> SweepAsync(NovaServer server) =>
        server.Services.GetRequiredService<DeviceHealthSweep>().SweepAsync(CancellationToken.None);

    private static async Task<HealthStatus> StatusAsync(NovaServer server, Guid id)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<Device>().Where(d => d.Id == id).Select(d => d.Health.Status).SingleAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Sweep_SilentPastTheirAllowance_MarksOnlyThoseOfflineOnceAndTheListFiltersByHealth(DatabaseProvider provider)
    {
        var (server, clock) = await StartAsync(provider);
        await using var _ = server;
        var site = DeviceRequestBuilder.UniqueSite();
        clock.Advance(TimeSpan.FromMinutes(10));
        var now = clock.GetUtcNow();
        var ddiSilent = Seen(site, DeviceProtocol.Ddi, now.AddMinutes(-4));
        var ddiRecent = Seen(site, DeviceProtocol.Ddi, now.AddMinutes(-2));
        var onvifRecent = Seen(site, DeviceProtocol.Onvif, now.AddMinutes(-4));
        var onvifSilent = Seen(site, DeviceProtocol.Onvif, now.AddMinutes(-6));
        var degradedSilent = Seen(site, DeviceProtocol.Ddi, now.AddMinutes(-9), HealthStatus.Degraded);
        var degradedRecent = Seen(site, DeviceProtocol.Ddi, now.AddMinutes(-1), HealthStatus.Degraded);
        var neverSeen = Seen(site, DeviceProtocol.Ddi, null, HealthStatus.Unknown);
        var alreadyOffline = Seen(site, DeviceProtocol.Ddi, now.AddHours(-1), HealthStatus.Offline);
        await server.AddDevicesAsync([ddiSilent, ddiRecent, onvifRecent, onvifSilent, degradedSilent, degradedRecent, neverSeen, alreadyOffline]);

        Assert.Equal(3, await SweepAsync(server));
        Assert.Equal(0, await SweepAsync(server));

        using var client = server.CreateAdminClient();
        async Task<Guid[]> ListAsync(string health) =>
            (await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}&health={health}"))!.Items.Select(d => d.Id).Order().ToArray();
        Guid[] Ids(params Device[] devices) => devices.Select(d => d.Id).Order().ToArray();
        Assert.Equal(Ids(ddiSilent, onvifSilent, degradedSilent, alreadyOffline), await ListAsync("offline"));
        Assert.Equal(Ids(ddiRecent, onvifRecent), await ListAsync("healthy"));
        Assert.Equal(Ids(degradedRecent), await ListAsync("degraded"));
        Assert.Equal(Ids(neverSeen), await ListAsync("UNKNOWN"));
        var errors = await ProblemAssert.IsValidationProblemAsync(await client.GetAsync($"/api/v1/devices?site={site}&health=sleeping"));
        Assert.Equal(["health"], errors.Keys);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Sweep_ServerListeningShorterThanTheAllowance_MarksNobody(DatabaseProvider provider)
    {
        var (server, clock) = await StartAsync(provider);
        await using var _ = server;
        var longSilent = Seen(DeviceRequestBuilder.UniqueSite(), DeviceProtocol.Ddi, T0.AddDays(-2));
        await server.AddDeviceAsync(longSilent);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await SweepAsync(server));
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(server, longSilent.Id));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await SweepAsync(server));
        Assert.Equal(HealthStatus.Offline, await StatusAsync(server, longSilent.Id));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Poll_OfflineDeviceHeardAgain_ComesBackHealthyOrDegradedByItsLastBootMode(DatabaseProvider provider)
    {
        var (server, clock) = await StartAsync(provider);
        await using var _ = server;
        var site = DeviceRequestBuilder.UniqueSite();
        var plain = Seen(site, DeviceProtocol.Ddi, T0);
        var inRecovery = Seen(site, DeviceProtocol.Ddi, T0, HealthStatus.Degraded);
        var unknown = Seen(site, DeviceProtocol.Ddi, null, HealthStatus.Unknown);
        var plainDevice = await DdiFixture.EnrolAsync(server, plain, checkIn: false);
        var recoveryDevice = await DdiFixture.EnrolAsync(server, inRecovery, checkIn: false);
        var unknownDevice = await DdiFixture.EnrolAsync(server, unknown, checkIn: false);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            db.Add(new DeviceReport { DeviceId = inRecovery.Id, ReportedAt = T0, BootMode = "recovery" });
            await db.SaveChangesAsync();
        }
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(2, await SweepAsync(server));

        foreach (var device in new[] { plainDevice, recoveryDevice, unknownDevice })
        {
            Assert.Equal(HttpStatusCode.OK, (await device.PollAsync()).Status);
        }
        await server.Services.GetRequiredService<LastSeenFlusher>().FlushAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, await StatusAsync(server, plain.Id));
        Assert.Equal(HealthStatus.Degraded, await StatusAsync(server, inRecovery.Id));
        // A poll says the device is there, not how it is: unknown stays unknown until it reports.
        Assert.Equal(HealthStatus.Unknown, await StatusAsync(server, unknown.Id));
        Assert.Equal(clock.GetUtcNow(), await DdiFixture.LastSeenAsync(server, plain.Id));
        Assert.Equal(0, await SweepAsync(server));
    }

    [Fact]
    public async Task Start_InvalidHealthSettings_FailsNamingThem()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => NovaServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["Nova:Ddi:PollSleep"] = "00:00:00",
            ["Nova:Engine:Health:DdiMissedPolls"] = "1",
        }));

        var failures = StartupFailures.Of(error);
        Assert.Contains(failures, f => f.Contains("Nova:Ddi:PollSleep", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("DdiMissedPolls", StringComparison.Ordinal));
    }
}
