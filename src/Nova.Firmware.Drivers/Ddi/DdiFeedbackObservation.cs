using System.Text.Json.Serialization;

namespace Nova.Firmware.Drivers.Ddi;

/// <summary>
/// One DDI feedback post as kept on the timeline: the fields that matter, normalised, plus the raw
/// body when the device sent JSON we could not parse (SWUpdate does not escape its details).
/// </summary>
public sealed record DdiFeedbackObservation(
    [property: JsonPropertyName("actionId")] long ActionId,
    [property: JsonPropertyName("execution")] string Execution,
    [property: JsonPropertyName("finished")] string Finished,
    [property: JsonPropertyName("progressCnt")] int? ProgressCnt,
    [property: JsonPropertyName("progressOf")] int? ProgressOf,
    [property: JsonPropertyName("details")] IReadOnlyList<string> Details,
    [property: JsonPropertyName("cancel")] bool Cancel,
    [property: JsonPropertyName("raw")] string? Raw)
{
    public string Summary()
    {
        var progress = ProgressOf is > 0 ? $" {ProgressCnt}/{ProgressOf}" : "";
        var what = Cancel ? "cancel feedback" : "feedback";
        var first = Details.Count > 0 ? ": " + Details[0] : "";
        var summary = $"DDI {what} {Execution}/{Finished}{progress}{first}";
        return summary.Length > 1900 ? summary[..1900] : summary;
    }
}
