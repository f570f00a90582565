using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Engine.Jobs;

/// <summary>
/// The article's "pre-flash log", taken before anything is written: the device's log where its
/// protocol can read one, plus identity, slot state, storage and last report, so diagnosis and an
/// RMA have them even if the device never comes back.
/// </summary>
public static class PreFlashSnapshot
{
    public static string Capture(Device device, DeviceReport? report, DriverResult log, DateTimeOffset at) =>
        JsonSerializer.Serialize(new
        {
            capturedAt = at,
            identity = new { device.Vendor, device.Model, device.HardwareRevision, device.Soc, device.Serial, device.ControllerId },
            firmware = new { active = device.Firmware.ActiveVersion, inactive = device.Firmware.InactiveVersion, abSlots = device.Capabilities.AbSlots },
            storage = new { device.Storage.TotalBytes, device.Storage.FreeBytes },
            powerFeed = new { device.PowerFeed.SwitchId, device.PowerFeed.Port },
            report = report is null ? null : new
            {
                report.ReportedAt,
                report.BootMode,
                report.Led,
                report.ResetReason,
                attributes = JsonSerializer.Deserialize<JsonElement>(report.AttributesJson),
            },
            log = log.Outcome == DriverOutcome.Done ? log.Value : null,
            logUnavailable = log.Outcome == DriverOutcome.Done ? null : log.Reason,
        });
}
