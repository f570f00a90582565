using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Engine.Tests.Infrastructure;

/// <summary>
/// A push-protocol driver registered for ONVIF in these tests only: it records what the engine
/// asked, answers what the test scripts (telemetry, transfer, follow-up), and means by its own
/// observations what <see cref="Interpret"/> maps: a Feedback entry whose Data is a signal name.
/// </summary>
internal sealed class FakePushDriver(TimeProvider? time = null) : IDeviceDriver
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public List<long> CleanUpRequests { get; } = [];
    /// <summary>How many times the engine told a device to boot its recovery partition.</summary>
    public int RecoveryTriggers { get; private set; }
    public int Transfers { get; private set; }
    public int Follows { get; private set; }
    public bool Cleans { get; set; } = true;
    public string? CannotFlashReason { get; set; }

    /// <summary>What ReadTelemetryAsync answers; by default "cannot be asked" (Pending), like a pull device.</summary>
    public Func<Device, DriverResult<DeviceReading>> Telemetry { get; set; } = _ => DriverResult<DeviceReading>.Pending("later");

    /// <summary>What a transfer does; by default it is accepted and the image written.</summary>
    public Func<DriverContext, CancellationToken, Task<DriverResult>> Transfer { get; set; } = async (context, ct) =>
    {
        await context.ObserveAsync(TimelineEntryKind.Feedback, "Upload accepted.", nameof(JobSignalKind.Installed), ct);
        return DriverResult.Done();
    };

    /// <summary>What telling the device to boot its recovery partition does; by default the device cannot be told.</summary>
    public Func<Device, CancellationToken, Task<DriverResult>> TriggerRecovery { get; set; } = (_, _) => Task.FromResult(DriverResult.NotSupported("no"));

    /// <summary>What ReadLogsAsync answers.</summary>
    public string Logs { get; set; } = "log";

    /// <summary>The device answers every telemetry read now, with these values (null: not said).</summary>
    public void Answer(string? version = null, string? bootMode = "normal", long? freeBytes = null, string? led = null, string? inactiveVersion = null, string? resetReason = null) =>
        Telemetry = _ => DriverResult<DeviceReading>.Done(new DeviceReading(_time.GetUtcNow(), Fresh: true)
        {
            FirmwareVersion = version,
            InactiveFirmwareVersion = inactiveVersion,
            BootMode = bootMode,
            FreeBytes = freeBytes,
            Led = led,
            ResetReason = resetReason,
        });

    /// <summary>The device stops answering.</summary>
    public void Silence(string reason = "connection refused") => Telemetry = _ => DriverResult<DeviceReading>.Unreachable(reason);

    /// <summary>What a look at the device does while the job waits on it; by default nothing.</summary>
    public Func<DriverContext, CancellationToken, Task> Follow { get; set; } = (_, _) => Task.CompletedTask;

    public DeviceProtocol Protocol => DeviceProtocol.Onvif;

    public DriverDelivery Delivery => DriverDelivery.Push;

    public string? CannotFlash(Device device) => CannotFlashReason;

    public Task<DriverResult<DeviceReading>> IdentifyAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(Telemetry(device));

    public Task<DriverResult<DeviceReading>> ReadTelemetryAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(Telemetry(device));

    public bool CanCleanUp(Device device) => Cleans;

    public Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken)
    {
        CleanUpRequests.Add(bytesNeeded);
        return Task.FromResult(DriverResult.Pending("Clean-up started."));
    }

    public Task<DriverResult> TransferAndFlashAsync(DriverContext context, CancellationToken cancellationToken)
    {
        Transfers++;
        return Transfer(context, cancellationToken);
    }

    public Task FollowAsync(DriverContext context, CancellationToken cancellationToken)
    {
        Follows++;
        return Follow(context, cancellationToken);
    }

    public Task<DriverResult> RebootAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(DriverResult.Pending("Rebooting."));

    public Task<DriverResult> ReadLogsAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(DriverResult.Done(Logs));

    public Task<DriverResult> TriggerRecoveryAsync(Device device, CancellationToken cancellationToken)
    {
        RecoveryTriggers++;
        return TriggerRecovery(device, cancellationToken);
    }

    public JobSignal? Interpret(TimelineEntry observation) =>
        observation.Kind == TimelineEntryKind.Feedback && Enum.TryParse<JobSignalKind>(observation.Data, out var kind)
            ? new JobSignal(kind, [observation.Message])
            : null;
}
