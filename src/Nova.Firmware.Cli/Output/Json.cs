using System.Globalization;
using System.Text.Json;

namespace Nova.Firmware.Cli.Output;

/// <summary>Reading values out of the server's JSON for tables; a missing or null field reads as null.</summary>
public static class Json
{
    public static string? S(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number or JsonValueKind.Object => current.ToString(),
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Array => string.Join(", ", current.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.ToString())),
            _ => current.ToString(),
        };
    }

    public static int I(this JsonElement element, params string[] path) =>
        int.TryParse(element.S(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static IEnumerable<JsonElement> Items(this JsonElement page) =>
        page.ValueKind == JsonValueKind.Array ? page.EnumerateArray()
        : page.ValueKind == JsonValueKind.Object && page.TryGetProperty("items", out var items) ? items.EnumerateArray()
        : [];

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
