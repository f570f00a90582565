using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Domain.Drivers;

/// <summary>
/// What a driver gets for a command or a look at a device within a device job: the job, the
/// device and package as stored, the job's device observations so far (oldest first), the
/// attempt, a way to open the image, and the engine's observation sink.
/// </summary>
public sealed class DriverContext(
    Device device,
    DeviceJob job,
    FirmwarePackage package,
    IReadOnlyList<TimelineEntry> observations,
    int attempt,
    DateTimeOffset now,
    Func<CancellationToken, Task<Stream>> openImage,
    Func<DeviceObservation, CancellationToken, Task> observe,
    Func<DeviceReading, CancellationToken, Task> report)
{
    public Device Device { get; } = device;
    public DeviceJob Job { get; } = job;
    public FirmwarePackage Package { get; } = package;
    /// <summary>The job's feedback and transfer entries so far, oldest first.</summary>
    public IReadOnlyList<TimelineEntry> Observations { get; } = observations;
    /// <summary>1 for the first transfer of this job; higher only after a driver showed an earlier one never reached the device.</summary>
    public int Attempt { get; } = attempt;
    public DateTimeOffset Now { get; } = now;

    /// <summary>The verified image bytes, as stored in the catalog.</summary>
    public Task<Stream> OpenImageAsync(CancellationToken cancellationToken) => openImage(cancellationToken);

    /// <summary>Records what the device said or did on this job's timeline, at once (a crash right after keeps it).</summary>
    public Task ObserveAsync(TimelineEntryKind kind, string message, string? data, CancellationToken cancellationToken) =>
        observe(new DeviceObservation(Device.Id, kind, message, data, Job.Id), cancellationToken);

    /// <summary>Stores what the device just said about itself (version, storage, boot mode) in the inventory, with a telemetry entry.</summary>
    public Task ReportReadingAsync(DeviceReading reading, CancellationToken cancellationToken) => report(reading, cancellationToken);
}
