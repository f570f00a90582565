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
/// A reading that changes nothing a person would read (version, free space, boot mode, reset
/// reason) updates last-seen without a timeline entry: a camera asked every re-check while its job
/// waits must not fill its timeline with copies.
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
        var before = State(device, report);
        var powerEvent = DeviceReadingMerger.Apply(device, report, reading, now);
        if (!powerEvent && State(device, report) == before)
        {
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return;
        }
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

    private static (string?, string?, long?, long?, string?, string?, string?, string?, string?) State(Device d, DeviceReport r) =>
        (d.Firmware.ActiveVersion, d.Firmware.InactiveVersion, d.Storage.FreeBytes, d.Storage.TotalBytes, r.BootMode, r.Led, r.ResetReason, d.Model, d.HardwareRevision);
}
