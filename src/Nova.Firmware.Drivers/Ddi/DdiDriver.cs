using System.Text.Json;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
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

    /// <summary>The device polls; a served action can still be cancelled, since the device is offered cancelAction and may agree.</summary>
    public DriverDelivery Delivery => DriverDelivery.Pull;

    public string? CannotFlash(Device device) => null;

    public Task<DriverResult<DeviceReading>> IdentifyAsync(Device device, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult<DeviceReading>.Pending("A DDI device cannot be asked; it reports its identity through configData when it polls."));

    public Task<DriverResult<DeviceReading>> ReadTelemetryAsync(Device device, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult<DeviceReading>.Pending("A DDI device cannot be asked; it reports telemetry through configData when it polls."));

    public bool CanCleanUp(Device device) => false;

    public Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.NotSupported("hawkBit DDI has no clean-up command; free space on the device itself."));

    /// <summary>Nothing to send: the job's move to transferring is what makes the next poll serve the action.</summary>
    public Task<DriverResult> TransferAndFlashAsync(DriverContext context, CancellationToken cancellationToken) =>
        Task.FromResult(DriverResult.Pending($"Action {context.Job.Id} will be served at the device's next poll; the device downloads, checks the SHA-256 and installs."));

    /// <summary>The device reports by itself (feedback, configData); there is nothing to look at.</summary>
    public Task FollowAsync(DriverContext context, CancellationToken cancellationToken) => Task.CompletedTask;

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
