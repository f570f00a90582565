namespace Nova.Firmware.Domain.Drivers;

/// <summary>What an observation means for the device job, in protocol-neutral terms.</summary>
public enum JobSignalKind
{
    /// <summary>Still going (download progress, installing); nothing to change.</summary>
    Progress = 0,
    /// <summary>The image is on the device and verified; it is being written.</summary>
    Downloaded = 1,
    /// <summary>The image is written; the device is about to reboot into it.</summary>
    Installed = 2,
    /// <summary>The device says the update is done (after its reboot, for pull devices). Still to be verified.</summary>
    ReportedSuccess = 3,
    ReportedFailure = 4,
    Cancelled = 5,
    CancelRejected = 6,
    /// <summary>
    /// A push that was cut off (a crash, a lost lease) never reached the device: the driver looked
    /// and the device is idle on its old firmware. Only then may the engine send the image again.
    /// </summary>
    TransferLost = 7,
}

public sealed record JobSignal(JobSignalKind Kind, IReadOnlyList<string> Details);
