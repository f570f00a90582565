using Nova.Firmware.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Server.Ddi;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Ddi;

public sealed class LastSeenFlusherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task FlushAsync_ManyDevices_WritesEachTimeToTheSecondAndEmptiesTheTracker(DatabaseProvider provider)
    {
        // A long flush interval keeps the background flusher out of the way: the test flushes itself.
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string> { ["Nova:Ddi:LastSeenFlushInterval"] = "01:00:00" });
        var devices = Enumerable.Range(0, 2500).Select(_ => FleetBuilder.Gateway()).ToList();
        await server.AddDevicesAsync(devices);
        var tracker = server.Services.GetRequiredService<LastSeenTracker>();
        for (var i = 0; i < devices.Count; i++)
        {
            tracker.Record(devices[i].Id, T0.AddMilliseconds(i * 7)); // spread over ~17 seconds
        }

        await server.Services.GetRequiredService<LastSeenFlusher>().FlushAsync(CancellationToken.None);

        Assert.Empty(tracker.Pending());
        foreach (var i in new[] { 0, 1, 142, 143, 1000, 2499 })
        {
            var expected = T0.AddSeconds(Math.Floor(i * 7 / 1000.0));
            Assert.Equal(expected, await DdiFixture.LastSeenAsync(server, devices[i].Id));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task FlushAsync_OlderTimeThanStored_KeepsTheStoredTime(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider, settings: new Dictionary<string, string> { ["Nova:Ddi:LastSeenFlushInterval"] = "01:00:00" });
        var device = FleetBuilder.Gateway();
        await server.AddDeviceAsync(device);
        var tracker = server.Services.GetRequiredService<LastSeenTracker>();
        var flusher = server.Services.GetRequiredService<LastSeenFlusher>();

        tracker.Record(device.Id, T0.AddMinutes(5));
        await flusher.FlushAsync(CancellationToken.None);
        tracker.Record(device.Id, T0); // a late report from another replica's batch, say
        await flusher.FlushAsync(CancellationToken.None);

        Assert.Equal(T0.AddMinutes(5), await DdiFixture.LastSeenAsync(server, device.Id));
    }
}
