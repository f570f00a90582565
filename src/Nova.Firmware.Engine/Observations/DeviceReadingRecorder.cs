using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Engine.Observations;

/// <summary>
/// Stores what a driver read from a device: the inventory and report updated, and a telemetry
/// entry (plus a power entry on a new power-related reset) written through the sink, all in one save.
/// </summary>
public sealed class DeviceReadingRecorder(FirmwareDbContext db, IObservationSink sink, TimeProvider time)
{
    public async Task RecordAsync(Guid deviceId, long? jobId, DeviceReading reading, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var device = await db.Set<Device>().SingleAsync(d => d.Id == deviceId, cancellationToken);
        var report = await db.Set<DeviceReport>().SingleOrDefaultAsync(r => r.DeviceId == deviceId, cancellationToken);
        if (report is null)
        {
            report = new DeviceReport { DeviceId = deviceId };
            db.Add(report);
        }
        var powerEvent = DeviceReadingMerger.Apply(device, report, reading, now);
        var observations = new List<DeviceObservation>
        {
            new(deviceId, TimelineEntryKind.Telemetry, reading.Summary(), JsonSerializer.Serialize(reading), jobId),
        };
        if (powerEvent)
        {
            observations.Add(new(deviceId, TimelineEntryKind.Power, $"The device came back with reset reason '{report.ResetReason}'.", null, jobId));
        }
        await sink.RecordAsync(observations, cancellationToken);
    }
}
