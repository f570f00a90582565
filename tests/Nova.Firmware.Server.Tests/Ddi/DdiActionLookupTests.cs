using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Ddi;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>
/// What an idle poll costs: a device that never sent attributes is looked up in the database once
/// per <see cref="DdiActionLookup.UnreportedRecheck"/>, not on every poll; its own configData on this
/// replica is seen at once, one sent to another replica within that time.
/// </summary>
public sealed class DdiActionLookupTests
{
    [Fact]
    public async Task NeverReported_IsRememberedForTheRecheckTime_ThenAskedAgain()
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

        clock.Advance(DdiActionLookup.UnreportedRecheck + TimeSpan.FromSeconds(1));
        Assert.False((await lookup.GetAsync(device.Id, CancellationToken.None)).WantsConfigData);
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
