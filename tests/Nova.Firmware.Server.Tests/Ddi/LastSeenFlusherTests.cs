using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
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

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task DeviceIdOrder_IsTheDatabasesOrderOfDeviceIds(DatabaseProvider provider)
    {
        // The flush writes in this order to stay on neighbouring pages: it must be the database's own.
        await using var server = await NovaServer.StartAsync(provider);
        var devices = Enumerable.Range(0, 300).Select(_ => FleetBuilder.Gateway()).ToList();
        foreach (var (device, i) in devices.Select((d, i) => (d, i)))
        {
            // Random ids, and ids of one non-zero byte each, in every position: where the text form,
            // the byte order and Guid's own fields could disagree.
            var bytes = new byte[16];
            bytes[i % 16] = (byte)(i - 199);
            device.Id = i < 200 ? Guid.NewGuid() : new Guid(bytes);
        }
        devices[250].Id = new Guid("80000000-0000-0000-0000-000000000000");
        devices[251].Id = new Guid("7fffffff-ffff-ffff-ffff-ffffffffffff");
        devices[252].Id = new Guid("00000000-0000-0000-8000-000000000000");
        await server.AddDevicesAsync(devices);

        await using var scope = server.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<Device>()
            .OrderBy(d => d.Id).Select(d => d.Id).ToListAsync();

        Assert.Equal(stored, devices.Select(d => d.Id).Order(DeviceIdOrder.Instance));
    }
}
