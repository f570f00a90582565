using System.Globalization;
using System.Text.Json;

namespace Nova.Firmware.Domain.Devices;

/// <summary>How many boots the device's last good boot took, where it says (U-Boot's bootcount and its kin among the attributes).</summary>
public static class BootCount
{
    private static readonly string[] Names = ["bootcount", "boot_count", "boot_attempts", "bootCount"];

    public static int? Of(DeviceReport report)
    {
        if (report.AttributesJson is not { Length: > 2 } json)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var name in Names)
            {
                if (doc.RootElement.TryGetProperty(name, out var v)
                    && int.TryParse(v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    return n;
                }
            }
        }
        catch (JsonException)
        {
            // Attributes are the device's words; unreadable ones say nothing about its boots.
        }
        return null;
    }
}
