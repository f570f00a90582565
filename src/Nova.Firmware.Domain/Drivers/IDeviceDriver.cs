using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Domain.Drivers;

/// <summary>
/// What the engine needs of a device, one implementation per protocol. Pull protocols (DDI) answer
/// most commands with <see cref="DriverOutcome.Pending"/>: the command becomes a desired action served
/// at the device's next poll and its result arrives later as an observation on the timeline. A
/// capability the protocol or device lacks is answered <see cref="DriverOutcome.NotSupported"/>, never faked.
/// </summary>
public interface IDeviceDriver
{
    DeviceProtocol Protocol { get; }

    /// <summary>Identity as the device last reported it (model, revision, SoC, serial, versions).</summary>
    Task<DriverResult> IdentifyAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Free space, boot mode, reset reason and the like; may be older than now.</summary>
    Task<DriverResult> ReadTelemetryAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="CleanUpAsync"/> can work on this device (the pre-flight gate plans a clean-up only then).</summary>
    bool CanCleanUp(Device device);

    /// <summary>Clears logs, old firmware backups and uploaded snapshots to free at least <paramref name="bytesNeeded"/>.</summary>
    Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken);

    /// <summary>Sends the image (with its hash, for the device to verify) and has it written.</summary>
    Task<DriverResult> TransferAndFlashAsync(Device device, DeviceJob job, FirmwarePackage package, CancellationToken cancellationToken);

    Task<DriverResult> RebootAsync(Device device, CancellationToken cancellationToken);

    /// <summary>The device's current log: kept as the pre-flash log before anything is written.</summary>
    Task<DriverResult> ReadLogsAsync(Device device, CancellationToken cancellationToken);

    Task<DriverResult> TriggerRecoveryAsync(Device device, CancellationToken cancellationToken);

    /// <summary>What a timeline observation of this protocol means for the job; null when it means nothing.</summary>
    JobSignal? Interpret(Timeline.TimelineEntry observation);
}

public enum DriverOutcome
{
    /// <summary>Done; <see cref="DriverResult.Value"/> carries any answer.</summary>
    Done = 0,
    /// <summary>Issued; the result will arrive as an observation or the step's deadline will pass.</summary>
    Pending = 1,
    /// <summary>The protocol or device cannot do this; <see cref="DriverResult.Reason"/> says why.</summary>
    NotSupported = 2,
    /// <summary>Tried and failed; <see cref="DriverResult.Reason"/> says how.</summary>
    Failed = 3,
}

public sealed record DriverResult(DriverOutcome Outcome, string? Reason = null, string? Value = null)
{
    public static DriverResult Done(string? value = null) => new(DriverOutcome.Done, null, value);
    public static DriverResult Pending(string reason) => new(DriverOutcome.Pending, reason);
    public static DriverResult NotSupported(string reason) => new(DriverOutcome.NotSupported, reason);
    public static DriverResult Failed(string reason) => new(DriverOutcome.Failed, reason);
}
