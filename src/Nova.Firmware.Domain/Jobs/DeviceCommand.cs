using Nova.Firmware.Domain.Drivers;

namespace Nova.Firmware.Domain.Jobs;

/// <summary>
/// One command the engine gave a device for a job step (a transfer, a clean-up, a reboot), written
/// before the driver is called. Unique by job, step and attempt: a replica that crashed or lost its
/// lease mid-command finds the row and asks the driver what became of it instead of sending again.
/// </summary>
public sealed class DeviceCommand
{
    public long Id { get; set; }
    public long JobId { get; set; }
    /// <summary>The step's wire name: <c>transfer</c>, <c>clean-up</c>, <c>reboot</c>, <c>recovery</c>.</summary>
    public required string Step { get; set; }
    public int Attempt { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public required string IssuedBy { get; set; }
    /// <summary>Null while the command runs, and forever when its issuer died before it returned.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
    public DriverOutcome? Outcome { get; set; }
    public string? Detail { get; set; }
}
