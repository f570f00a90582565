namespace Nova.Firmware.Domain.Timeline;

/// <summary>
/// One observation or transition in a device's history. Append-only: diagnosis reads the timeline,
/// the console shows it, and an RMA bundle exports it.
/// </summary>
public sealed class TimelineEntry
{
    public long Id { get; set; }
    public Guid DeviceId { get; set; }
    public long? JobId { get; set; }
    public DateTimeOffset At { get; set; }
    public TimelineEntryKind Kind { get; set; }
    public required string Message { get; set; }
    /// <summary>Structured detail as JSON (feedback details, check verdicts); for DDI feedback that was not valid JSON, the raw body.</summary>
    public string? Data { get; set; }
}
