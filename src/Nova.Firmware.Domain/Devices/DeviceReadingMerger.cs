using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Domain.Devices;

/// <summary>
/// Folds what a device said about itself into the inventory (identity, versions, storage, power
/// feed) and its report (boot mode, LED, reset reason), whichever protocol brought it. A value the
/// device did not send leaves the stored one as it was.
/// </summary>
public static class DeviceReadingMerger
{
    /// <returns>True when the device reported a new power-related reset (a power event).</returns>
    public static bool Apply(Device device, DeviceReport report, DeviceReading reading, DateTimeOffset now)
    {
        report.ReportedAt = now;
        if (reading.Vendor is { } vendor) device.Vendor = vendor;
        if (reading.Model is { } model) device.Model = model;
        if (reading.HardwareRevision is { } revision) device.HardwareRevision = revision;
        if (reading.Soc is { } soc) device.Soc = soc;
        if (reading.Serial is { } serial) device.Serial = serial;
        if (reading.FirmwareVersion is { } version) device.Firmware.ActiveVersion = version;
        if (reading.InactiveFirmwareVersion is { Length: > 0 } inactive)
        {
            // A device that reports a second slot has one, whatever the inventory was told when it
            // was enrolled (a CSV import rarely knows): its own word updates the capability.
            device.Firmware.InactiveVersion = inactive;
            device.Capabilities.AbSlots = true;
        }
        if (reading.FreeBytes is { } free) device.Storage.FreeBytes = free;
        if (reading.TotalBytes is { } total) device.Storage.TotalBytes = total;
        if (reading.PowerFeed is { } feed)
        {
            // "switch-id:port", or "dc" for a device on its own supply, which shares no feed with anyone.
            var colon = feed.LastIndexOf(':');
            var dc = feed.Equals("dc", StringComparison.OrdinalIgnoreCase);
            device.PowerFeed.SwitchId = dc ? null : colon > 0 ? feed[..colon] : feed;
            device.PowerFeed.Port = !dc && colon > 0 && int.TryParse(feed[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        if (reading.BootMode is { } bootMode) report.BootMode = bootMode;
        if (reading.Led is { } led) report.Led = led;
        device.Health.Status = DeviceHealthRule.FromBootMode(report.BootMode);
        device.Health.LastSeenAt = now;
        device.UpdatedAt = now;

        var powerEvent = false;
        if (reading.ResetReason is { } reset)
        {
            // A device repeats its last reset reason until it resets again: only a change is an event.
            powerEvent = DeviceReport.IsPowerReset(reset) && !string.Equals(reset, report.ResetReason, StringComparison.OrdinalIgnoreCase);
            report.ResetReason = reset;
            if (powerEvent)
            {
                report.LastPowerEventAt = now;
            }
        }
        return powerEvent;
    }
}
