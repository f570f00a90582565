using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Domain.Drivers;

/// <summary>
/// What the engine needs of a device, one implementation per protocol, registered by protocol.
/// Pull protocols (DDI) realise a command as "served at the device's next poll" and answer
/// <see cref="DriverOutcome.Pending"/>; push protocols (ONVIF) call the device. Either way, what
/// the device says comes back as observations through <see cref="DriverContext.ObserveAsync"/> or
/// the device-facing API, and <see cref="Interpret"/> says what each one means for the job.
/// A capability the protocol or device lacks is answered <see cref="DriverOutcome.NotSupported"/>, never faked.
/// </summary>
public interface IDeviceDriver
{
    DeviceProtocol Protocol { get; }

    /// <summary>
    /// Pull: the device fetches what the job's status offers, and an action it was given can still
    /// be cancelled with its consent. Push: the engine's command moves the bytes, and once issued
    /// it cannot be called back.
    /// </summary>
    DriverDelivery Delivery { get; }

    /// <summary>Why a device job for this device could never run (no address to reach it, say), or null when it can.</summary>
    string? CannotFlash(Device device);

    /// <summary>Whether <see cref="CleanUpAsync"/> can work on this device (the pre-flight gate plans a clean-up only then).</summary>
    bool CanCleanUp(Device device);

    /// <summary>
    /// The device's present identity and firmware, asked now where the protocol can ask
    /// (<see cref="DeviceReading.Fresh"/>), or as last reported where it cannot.
    /// </summary>
    Task<DriverResult<DeviceReading>> IdentifyAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Free space, boot mode, reset reason, slots: read now where the protocol allows, so the gate never decides on a value from the last reboot.</summary>
    Task<DriverResult<DeviceReading>> ReadTelemetryAsync(Device device, CancellationToken cancellationToken);

    /// <summary>Clears logs, old firmware backups and uploaded snapshots to free at least <paramref name="bytesNeeded"/>.</summary>
    Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the device the image (with its hash, for the device to verify) and has it written. The
    /// engine calls this once per job and attempt, only after the job's move to transferring is
    /// committed; a push keeps the engine's lease renewed while it runs.
    /// </summary>
    Task<DriverResult> TransferAndFlashAsync(DriverContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Called at every re-check while the job waits on the device (transferring, flashing,
    /// rebooting): a push driver looks at the device and records what it sees; a pull driver has
    /// nothing to do (its device reports by itself). Also how a driver finds out, after a crash,
    /// whether a push that was cut off reached the device, before anything is sent again.
    /// </summary>
    Task FollowAsync(DriverContext context, CancellationToken cancellationToken);

    Task<DriverResult> RebootAsync(Device device, CancellationToken cancellationToken);

    /// <summary>The device's current log: kept as the pre-flash log before anything is written.</summary>
    Task<DriverResult> ReadLogsAsync(Device device, CancellationToken cancellationToken);

    Task<DriverResult> TriggerRecoveryAsync(Device device, CancellationToken cancellationToken);

    /// <summary>What a timeline observation of this protocol means for the job; null when it means nothing.</summary>
    JobSignal? Interpret(TimelineEntry observation);
}

public enum DriverDelivery
{
    Pull = 0,
    Push = 1,
}
