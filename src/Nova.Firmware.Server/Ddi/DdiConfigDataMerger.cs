using System.Globalization;
using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Protocols.Ddi;
using A = Nova.Firmware.Protocols.Ddi.DdiValues.Attributes;

namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// Folds a device's configData into the inventory (identity, versions, storage, power feed) and its
/// report (boot mode, LED, reset reason, raw attributes). Unknown keys are kept in the raw attributes.
/// </summary>
public static class DdiConfigDataMerger
{
    /// <returns>True when the device reported a new power-related reset (a power event).</returns>
    public static bool Merge(Device device, DeviceReport report, IReadOnlyDictionary<string, string> data, string mode, DateTimeOffset now)
    {
        var attributes = mode.Equals("replace", StringComparison.OrdinalIgnoreCase)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(report.AttributesJson) ?? [];
        foreach (var (key, value) in data)
        {
            if (mode.Equals("remove", StringComparison.OrdinalIgnoreCase))
            {
                attributes.Remove(key);
            }
            else
            {
                attributes[key] = value;
            }
        }
        report.AttributesJson = JsonSerializer.Serialize(attributes);
        report.ReportedAt = now;

        string? Get(string key) => data.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        if (Get(A.Vendor) is { } vendor) device.Vendor = vendor;
        if (Get(A.Model) is { } model) device.Model = model;
        if (Get(A.HwRevision) is { } revision) device.HardwareRevision = revision;
        if (Get(A.Soc) is { } soc) device.Soc = soc;
        if (Get(A.SerialNo) is { } serial) device.Serial = serial;
        if (Get(A.FirmwareVersion) is { } version) device.Firmware.ActiveVersion = version;
        if (Get(A.InactiveFirmwareVersion) is { } inactive) device.Firmware.InactiveVersion = inactive;
        if (Get(A.FreeBytes) is { } free && long.TryParse(free, NumberStyles.None, CultureInfo.InvariantCulture, out var freeBytes)) device.Storage.FreeBytes = freeBytes;
        if (Get(A.TotalBytes) is { } total && long.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out var totalBytes)) device.Storage.TotalBytes = totalBytes;
        if (Get(A.PowerFeed) is { } feed)
        {
            // "switch-id:port", or "dc" for a device on its own supply.
            // A DC supply is the device's own: it shares no power feed with anyone.
            var colon = feed.LastIndexOf(':');
            var dc = feed.Equals("dc", StringComparison.OrdinalIgnoreCase);
            device.PowerFeed.SwitchId = dc ? null : colon > 0 ? feed[..colon] : feed;
            device.PowerFeed.Port = !dc && colon > 0 && int.TryParse(feed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        if (Get(A.BootMode) is { } bootMode) report.BootMode = bootMode;
        if (Get(A.Led) is { } led) report.Led = led;
        device.Health.Status = DeviceHealthRule.FromBootMode(report.BootMode);
        device.Health.LastSeenAt = now;
        device.UpdatedAt = now;

        var powerEvent = false;
        if (Get(A.ResetReason) is { } reset)
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
