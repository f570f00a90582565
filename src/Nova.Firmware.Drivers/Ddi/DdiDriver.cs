using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.Drivers.Ddi;

/// <summary>
/// hawkBit DDI devices pull: the engine never calls them. A transfer is "desired" by putting the
/// job in Transferring, which makes the poll handler serve the action; everything else arrives as
/// feedback and configData. What DDI has no verb for is reported as not supported.
/// </summary>
public sealed class DdiDriver : IDeviceDriver
{
    public DeviceProtocol Protocol => DeviceProtocol.Ddi;

    public Task<DriverResult> IdentifyAsync(Device device, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.Done($"{device.Vendor} {device.Model} rev {device.HardwareRevision} {device.Soc} serial {device.Serial}"));

    public Task<DriverResult> ReadTelemetryAsync(Device device, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.Pending("DDI devices report telemetry through configData at their next poll."));

    public bool CanCleanUp(Device device) => false;

    public Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.NotSupported("hawkBit DDI has no clean-up command; free space on the device itself."));

    public Task<DriverResult> TransferAndFlashAsync(Device device, DeviceJob job, FirmwarePackage package, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.Pending($"Action {job.Id} will be served at the device's next poll; the device downloads, checks the SHA-256 and installs."));

    public Task<DriverResult> RebootAsync(Device device, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.Pending("A DDI client reboots by itself after installing."));

    public Task<DriverResult> ReadLogsAsync(Device device, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.NotSupported("hawkBit DDI has no log upload; the snapshot keeps the device's last reported attributes instead."));

    public Task<DriverResult> TriggerRecoveryAsync(Device device, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.NotSupported("hawkBit DDI has no recovery trigger."));

    public JobSignal? Interpret(TimelineEntry observation)
    {
        if (observation.Kind != TimelineEntryKind.Feedback || observation.Data is null)
        {
            return null;
        }
        var feedback = JsonSerializer.Deserialize<DdiFeedbackObservation>(observation.Data);
        if (feedback is null)
        {
            return null;
        }
        var details = feedback.Details;
        if (feedback.Cancel)
        {
            return feedback.Execution switch
            {
                DdiValues.Execution.Closed or DdiValues.Execution.Canceled when feedback.Finished != DdiValues.Finished.Failure => new JobSignal(JobSignalKind.Cancelled, details),
                DdiValues.Execution.Rejected or DdiValues.Execution.Closed => new JobSignal(JobSignalKind.CancelRejected, details),
                _ => new JobSignal(JobSignalKind.Progress, details),
            };
        }
        return (feedback.Execution, feedback.Finished) switch
        {
            (DdiValues.Execution.Closed, DdiValues.Finished.Success) => new JobSignal(JobSignalKind.ReportedSuccess, details),
            (DdiValues.Execution.Closed, DdiValues.Finished.Failure) => new JobSignal(JobSignalKind.ReportedFailure, details),
            (DdiValues.Execution.Rejected, _) => new JobSignal(JobSignalKind.ReportedFailure, details),
            (DdiValues.Execution.Canceled, _) => new JobSignal(JobSignalKind.Cancelled, details),
            (_, DdiValues.Finished.Failure) => new JobSignal(JobSignalKind.ReportedFailure, details),
            (DdiValues.Execution.Downloaded, _) => new JobSignal(JobSignalKind.Downloaded, details),
            // SWUpdate's words once the image is written; it then waits for its reboot to report.
            _ when details.Any(d => d.Contains("All Chunks Installed", StringComparison.OrdinalIgnoreCase)) => new JobSignal(JobSignalKind.Installed, details),
            _ => new JobSignal(JobSignalKind.Progress, details),
        };
    }
}
