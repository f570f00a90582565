using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Ddi;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>
/// What an idle poll costs: whether a device ever sent attributes is answered from a fleet-wide set
/// in memory, not a query per poll. Its own configData on this replica is seen at once, one sent to
/// another replica within <see cref="DdiActionLookup.ReportRefresh"/>.
/// </summary>
public sealed class DdiActionLookupTests
{
    [Fact]
    public async Task ReportedElsewhere_IsSeenAtTheNextReportRefresh_NotBefore()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        await using var server = await NovaServer.StartAsync(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway());
        var lookup = server.Services.GetRequiredService<DdiActionLookup>();

        Assert.True((await lookup.GetAsync(device.Id, CancellationToken.None)).WantsConfigData);
        // Attributes sent to another replica: this one does not ask the database again at once.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            db.Add(new DeviceReport { DeviceId = device.Id, ReportedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        Assert.True((await lookup.GetAsync(device.Id, CancellationToken.None)).WantsConfigData);

        clock.Advance(DdiActionLookup.ReportRefresh + TimeSpan.FromSeconds(1));
        // The poll that finds the snapshot old is answered from it and starts the refresh behind it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await lookup.GetAsync(device.Id, CancellationToken.None)).WantsConfigData)
        {
            Assert.True(DateTime.UtcNow < deadline, "the report stored elsewhere was not seen after the refresh time");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task ReportedBeforeTheServerStarted_IsKnownAtTheFirstPoll()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        await using var server = await NovaServer.StartAsync(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        var reported = await server.AddDeviceAsync(FleetBuilder.Gateway());
        var silent = await server.AddDeviceAsync(FleetBuilder.Gateway());
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FirmwareDbContext>();
            db.Add(new DeviceReport { DeviceId = reported.Id, ReportedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        var lookup = server.Services.GetRequiredService<DdiActionLookup>();

        Assert.False((await lookup.GetAsync(reported.Id, CancellationToken.None)).WantsConfigData);
        Assert.True((await lookup.GetAsync(silent.Id, CancellationToken.None)).WantsConfigData);
    }

    [Fact]
    public async Task ReportedOnThisReplica_IsSeenAtOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        await using var server = await NovaServer.StartAsync(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        var device = await server.AddDeviceAsync(FleetBuilder.Gateway());
        var lookup = server.Services.GetRequiredService<DdiActionLookup>();

        Assert.True((await lookup.GetAsync(device.Id, CancellationToken.None)).WantsConfigData);
        lookup.Reported(device.Id);

        Assert.False((await lookup.GetAsync(device.Id, CancellationToken.None)).WantsConfigData);
    }
}
