using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Recovery;

public enum TechnicianTaskStatus
{
    [WireName("open")] Open = 0,
    /// <summary>The technician did the steps; the engine now verifies the device.</summary>
    [WireName("done")] Done = 1,
    /// <summary>The technician could not bring the device back: RMA.</summary>
    [WireName("failed")] Failed = 2,
    /// <summary>The device came back by itself, or the run was closed, before anyone went.</summary>
    [WireName("cancelled")] Cancelled = 3,
}

/// <summary>
/// What a person at the device must do when automation ran out: the model's recovery steps, the SD
/// recovery image with its SHA-256 and link, which LED to wait for, and what to photograph.
/// </summary>
public sealed class TechnicianTask
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public Guid DeviceId { get; set; }
    public TechnicianTaskStatus Status { get; set; }
    public required string Title { get; set; }
    /// <summary>Why the task exists: what the automation tried and where it stopped.</summary>
    public required string Reason { get; set; }
    public List<string> Steps { get; set; } = [];
    /// <summary>The LED state that means the recovery worked.</summary>
    public string? WaitForLed { get; set; }
    public List<string> PhotosWanted { get; set; } = [];
    public Guid? SdImagePackageId { get; set; }
    public string? SdImageSha256 { get; set; }
    public string? SdImageUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
    public string? Note { get; set; }
}
