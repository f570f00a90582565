using System.Globalization;
using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
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

        string? Get(string key) => data.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        long? Bytes(string key) => Get(key) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var reading = new DeviceReading(now, Fresh: true)
        {
            Vendor = Get(A.Vendor),
            Model = Get(A.Model),
            HardwareRevision = Get(A.HwRevision),
            Soc = Get(A.Soc),
            Serial = Get(A.SerialNo),
            FirmwareVersion = Get(A.FirmwareVersion),
            InactiveFirmwareVersion = Get(A.InactiveFirmwareVersion),
            FreeBytes = Bytes(A.FreeBytes),
            TotalBytes = Bytes(A.TotalBytes),
            PowerFeed = Get(A.PowerFeed),
            BootMode = Get(A.BootMode),
            Led = Get(A.Led),
            ResetReason = Get(A.ResetReason),
        };
        var powerEvent = DeviceReadingMerger.Apply(device, report, reading, now);
        return powerEvent;
    }
}
