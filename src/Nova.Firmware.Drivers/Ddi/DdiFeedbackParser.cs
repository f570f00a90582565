using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nova.Firmware.Drivers.Ddi;

/// <summary>
/// Reads DDI feedback leniently. Real clients send legacy fields (a top-level <c>id</c>), omit
/// optional ones, and SWUpdate puts unescaped quotes in <c>details</c>, which breaks the JSON. When
/// strict parsing fails, the execution and finished values are recovered with patterns and every
/// quoted string after "details" is kept, so the failure can still be classified.
/// </summary>
public static partial class DdiFeedbackParser
{
    public static DdiFeedbackObservation Parse(long actionId, string body, bool cancel)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? FromJson(actionId, doc.RootElement, cancel)
                : FromBrokenJson(actionId, body, cancel);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with a broken escape (a lone surrogate) in otherwise valid JSON.
            return FromBrokenJson(actionId, body, cancel);
        }
    }

    private static DdiFeedbackObservation FromJson(long actionId, JsonElement root, bool cancel)
    {
        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var execution = Str(status, "execution") ?? "unknown";
        var result = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var finished = Str(result, "finished") ?? "none";
        int? cnt = null, of = null;
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            cnt = Int(p, "cnt");
            of = Int(p, "of");
        }
        var details = new List<string>();
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Array)
        {
            details.AddRange(d.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() ?? "" : x.GetRawText()));
        }
        return new DdiFeedbackObservation(actionId, execution.ToLowerInvariant(), finished.ToLowerInvariant(), cnt, of, details, cancel, null);
    }

    private static DdiFeedbackObservation FromBrokenJson(long actionId, string body, bool cancel)
    {
        var execution = ExecutionPattern().Match(body) is { Success: true } e ? e.Groups[1].Value.ToLowerInvariant() : "unknown";
        var finished = FinishedPattern().Match(body) is { Success: true } f ? f.Groups[1].Value.ToLowerInvariant() : "none";
        var details = new List<string>();
        var at = body.IndexOf("\"details\"", StringComparison.Ordinal);
        if (at >= 0)
        {
            var open = body.IndexOf('[', at);
            var close = body.LastIndexOf(']');
            var inner = open >= 0 && close > open ? body[(open + 1)..close] : body[at..];
            // Split on the separators a JSON array of strings would have; keep broken quotes as text.
            foreach (var part in SeparatorPattern().Split(inner.Trim().Trim('"')))
            {
                details.Add(part);
            }
        }
        return new DdiFeedbackObservation(actionId, execution, finished, null, null, details, cancel, body.Length > 64_000 ? body[..64_000] : body);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    [GeneratedRegex("\"execution\"\\s*:\\s*\"([a-zA-Z]+)\"")]
    private static partial Regex ExecutionPattern();

    [GeneratedRegex("\"finished\"\\s*:\\s*\"([a-zA-Z]+)\"")]
    private static partial Regex FinishedPattern();

    [GeneratedRegex("\"\\s*,\\s*\"")]
    private static partial Regex SeparatorPattern();
}
