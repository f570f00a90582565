using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Timeline;

namespace Nova.Firmware.Engine.Tests.Infrastructure;

/// <summary>
/// A push-protocol driver that can clear space (no real driver can yet), registered for ONVIF in
/// these tests only: it records what the engine asked and leaves the results to the test.
/// </summary>
internal sealed class CleaningDriver : IDeviceDriver
{
    public List<long> CleanUpRequests { get; } = [];
    public int Transfers { get; private set; }

    public DeviceProtocol Protocol => DeviceProtocol.Onvif;

    public Task<DriverResult> IdentifyAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(DriverResult.Done(device.Model));

    public Task<DriverResult> ReadTelemetryAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(DriverResult.Pending("later"));

    public bool CanCleanUp(Device device) => true;

    public Task<DriverResult> CleanUpAsync(Device device, long bytesNeeded, CancellationToken cancellationToken)
    {
        CleanUpRequests.Add(bytesNeeded);
        return Task.FromResult(DriverResult.Pending("Clean-up started."));
    }

    public Task<DriverResult> TransferAndFlashAsync(Device device, DeviceJob job, FirmwarePackage package, CancellationToken cancellationToken)
    {
        Transfers++;
        return Task.FromResult(DriverResult.Pending("Uploading."));
    }

    public Task<DriverResult> RebootAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(DriverResult.Pending("Rebooting."));

    public Task<DriverResult> ReadLogsAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(DriverResult.Done("log"));

    public Task<DriverResult> TriggerRecoveryAsync(Device device, CancellationToken cancellationToken) => Task.FromResult(DriverResult.NotSupported("no"));

    public JobSignal? Interpret(TimelineEntry observation) => null;
}
