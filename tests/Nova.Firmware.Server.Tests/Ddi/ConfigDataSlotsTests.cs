using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>A device's own report of its slots wins over what the inventory was told at enrolment.</summary>
public sealed class ConfigDataSlotsTests
{
    [Fact]
    public async Task ConfigData_InactiveSlotFromADeviceEnrolledWithoutAbSlots_StoredAndTheCapabilityLearned()
    {
        await using var server = await NovaServer.StartAsync();
        var gateway = FleetBuilder.Gateway();
        gateway.Capabilities.AbSlots = false; // as a CSV import without the column enrols it
        var device = await DdiFixture.EnrolAsync(server, gateway, checkIn: false);

        var status = await device.ConfigDataAsync(new Dictionary<string, string> { ["firmwareVersion"] = "1.0.0", ["inactiveFirmwareVersion"] = "0.9.0" });

        Assert.Equal(HttpStatusCode.OK, status);
        await using var scope = server.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FirmwareDbContext>().Set<Device>().AsNoTracking().SingleAsync(d => d.Id == gateway.Id);
        Assert.True(stored.Capabilities.AbSlots);
        Assert.Equal(("1.0.0", "0.9.0"), (stored.Firmware.ActiveVersion, stored.Firmware.InactiveVersion));
    }
}
